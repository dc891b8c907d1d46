"""timm.models.registry.register_model: the official builders only need the decorator to return them."""


def register_model(fn):
    return fn
