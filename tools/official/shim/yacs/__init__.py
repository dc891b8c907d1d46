"""A stand-in for yacs, whose CfgNode Cream's lib/config.py fills with its defaults at import time."""
