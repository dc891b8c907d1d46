"""timm.models.vision_transformer.trunc_normal_ (re-exported from layers, as in timm 0.5.4)."""
from .layers import trunc_normal_  # noqa: F401
