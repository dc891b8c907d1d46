"""A stand-in for thop, which Cream's lib/utils/util.py imports at module level for its FLOPs
counter (get_model_flops_params). Building and running a model never calls it."""


def profile(*args, **kwargs):
    raise NotImplementedError("the shim does not count FLOPs")


def clever_format(*args, **kwargs):
    raise NotImplementedError("the shim does not count FLOPs")
