"""A minimal stand-in for the few timm names the official model files import.

Only what eval-mode numerics need is implemented, following timm 0.5.4, except
models/efficientnet_blocks.py, which follows timm 0.1.20 (the version Cream's
child nets are built with; its block arguments differ from 0.5.4's). The
version string makes the official code take its timm < 0.6 code paths.
"""
__version__ = "0.5.4"
