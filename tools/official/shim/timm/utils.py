"""timm.utils as far as `from timm.utils import *` feeds Cream's lib/utils and builders.

timm 0.1.20's timm/utils.py is one module without __all__, so a star import of it also hands over
the standard names it imports; Cream's builder code relies on those (re, deepcopy, OrderedDict).
None of its training helpers (ModelEma, CheckpointSaver, AverageMeter, ...) is needed to build and
run a model, so none is here.
"""
import math  # noqa: F401
import re  # noqa: F401
from collections import OrderedDict  # noqa: F401
from copy import deepcopy  # noqa: F401

import torch  # noqa: F401
