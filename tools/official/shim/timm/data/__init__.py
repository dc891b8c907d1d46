"""timm.data's normalisation constants, which iRPE's DeiT files import (and never use to build a model)."""
IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)
IMAGENET_DEFAULT_STD = (0.229, 0.224, 0.225)
