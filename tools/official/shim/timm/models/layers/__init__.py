"""timm.models.layers as timm 0.5.4 defines the names the official files import.

Initialisation helpers (trunc_normal_) only fill tensors that the fixture weights
overwrite afterwards; DropPath is the identity in eval mode; SqueezeExcite is
timm's SEModule alias, whose numerics matter (EfficientViT's PatchMerging).
For Cream's child nets: create_conv2d (plain kernels; padding '' is the symmetric
((stride - 1) + dilation * (k - 1)) // 2, no bias unless asked), SelectAdaptivePool2d
('avg' only, not flattened) and CondConv2d / get_condconv_initializer, which the
child nets only name (an isinstance test in their initialiser), so they are not
implemented. timm 0.1.20, which Cream uses, defines all of these the same way.
"""
import collections.abc
from itertools import repeat

import torch
import torch.nn as nn


def _ntuple(n):
    def parse(x):
        if isinstance(x, collections.abc.Iterable):
            return x
        return tuple(repeat(x, n))
    return parse


to_1tuple = _ntuple(1)
to_2tuple = _ntuple(2)


def trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.):
    return nn.init.trunc_normal_(tensor, mean, std, a, b)


def drop_path(x, drop_prob: float = 0., training: bool = False):
    if drop_prob == 0. or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device)
    random_tensor.floor_()
    return x.div(keep_prob) * random_tensor


class DropPath(nn.Module):
    def __init__(self, drop_prob=None):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        return drop_path(x, self.drop_prob, self.training)


def make_divisible(v, divisor=8, min_value=None, round_limit=.9):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v


class SEModule(nn.Module):
    """timm 0.5.4 SEModule with its defaults (ReLU, no norm, sigmoid gate)."""

    def __init__(self, channels, rd_ratio=1. / 16, rd_channels=None, rd_divisor=8, add_maxpool=False,
                 bias=True, act_layer=nn.ReLU, norm_layer=None, gate_layer=nn.Sigmoid):
        super().__init__()
        self.add_maxpool = add_maxpool
        if not rd_channels:
            rd_channels = make_divisible(channels * rd_ratio, rd_divisor, round_limit=0.)
        self.fc1 = nn.Conv2d(channels, rd_channels, kernel_size=1, bias=bias)
        self.bn = norm_layer(rd_channels) if norm_layer else nn.Identity()
        self.act = act_layer(inplace=True)
        self.fc2 = nn.Conv2d(rd_channels, channels, kernel_size=1, bias=bias)
        self.gate = gate_layer()

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        if self.add_maxpool:
            x_se = 0.5 * x_se + 0.5 * x.amax((2, 3), keepdim=True)
        x_se = self.fc1(x_se)
        x_se = self.act(self.bn(x_se))
        x_se = self.fc2(x_se)
        return x * self.gate(x_se)


SqueezeExcite = SEModule


def get_padding(kernel_size, stride=1, dilation=1, **_):
    return ((stride - 1) + dilation * (kernel_size - 1)) // 2


def create_conv2d(in_chs, out_chs, kernel_size, **kwargs):
    """A Conv2d as timm builds it: groups = out_chs when depthwise, padding '' symmetric, bias off by default."""
    assert "groups" not in kwargs
    if isinstance(kernel_size, list) or kwargs.get("num_experts", 0) > 0:
        raise NotImplementedError("the shim has no MixedConv2d / CondConv2d")
    kwargs.pop("num_experts", None)
    groups = out_chs if kwargs.pop("depthwise", False) else 1
    padding = kwargs.pop("padding", "")
    stride, dilation = kwargs.get("stride", 1), kwargs.get("dilation", 1)
    if isinstance(padding, str):
        if padding.lower() == "valid":
            padding = 0
        elif padding == "":
            padding = get_padding(kernel_size, stride, dilation)
        else:
            raise NotImplementedError("the shim has no 'same' padding")
    bias = kwargs.pop("bias", False)
    return nn.Conv2d(in_chs, out_chs, kernel_size, padding=padding, groups=groups, bias=bias, **kwargs)


class SelectAdaptivePool2d(nn.Module):
    """Global pooling, pool_type 'avg' only; the output keeps its 1x1 spatial dims unless flatten."""

    def __init__(self, output_size=1, pool_type="avg", flatten=False):
        super().__init__()
        if pool_type != "avg":
            raise NotImplementedError("the shim pools with 'avg' only")
        self.pool_type = pool_type
        self.flatten = flatten
        self.pool = nn.AdaptiveAvgPool2d(output_size)

    def feat_mult(self):
        return 1

    def forward(self, x):
        x = self.pool(x)
        return x.flatten(1) if self.flatten else x


class CondConv2d(nn.Module):
    """Named by Cream's weight initialiser (an isinstance test) only; the child nets have none."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("the shim has no CondConv2d")


def get_condconv_initializer(initializer, num_experts, expert_shape):
    raise NotImplementedError("the shim has no CondConv2d")
