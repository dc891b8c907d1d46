"""timm.models.helpers.build_model_with_cfg, for pretrained=False only (timm 0.5.4 then calls model_cls(**kwargs))."""


def build_model_with_cfg(model_cls, variant, pretrained, default_cfg=None, pretrained_cfg=None,
                         pretrained_filter_fn=None, **kwargs):
    if pretrained:
        raise NotImplementedError("the shim builds untrained models only; weights are loaded afterwards")
    return model_cls(**kwargs)


def load_pretrained(*args, **kwargs):
    """timm 0.3's loader of released weights, which iRPE's DeiT file imports; the fixtures load their own."""
    raise NotImplementedError("the shim builds untrained models only; weights are loaded afterwards")
