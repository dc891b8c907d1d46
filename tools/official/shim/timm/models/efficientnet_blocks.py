"""timm.models.efficientnet_blocks as timm 0.1.20 defines the names Cream's child nets use.

Cream's ChildNetBuilder builds its blocks from these with timm 0.1.20's keyword arguments (se_kwargs
with gate_fn, reduce_mid and divisor), so this module follows 0.1.20, not 0.5.4:

- SqueezeExcite(chs, se_ratio, reduced_base_chs, act_layer, gate_fn, divisor): average pool,
  conv_reduce (1x1, bias) to make_divisible((reduced_base_chs or chs) * se_ratio, divisor), act1,
  conv_expand (1x1, bias) back to chs, x * gate_fn(.); resolve_se_args leaves reduced_base_chs
  unset when reduce_mid is true, so the reduction is taken from the channels the SE sits on.
- DepthwiseSeparableConv: conv_dw, bn1, act1, se (on in_chs), conv_pw, bn2, act2 (identity unless
  pw_act), + input when stride 1, in_chs == out_chs and not noskip.
- InvertedResidual: conv_pw to mid = make_divisible(in_chs * exp_ratio), bn1, act1, conv_dw, bn2,
  act2, se (on mid), conv_pwl, bn3, + input under the same condition.
- ConvBnAct: conv, bn1, act1.

Module names and registration order are timm's, so the state_dict names match. Drop path is the
identity in eval mode. The star import of this module also hands over nn, F and create_conv2d, as
timm's does.
"""
import torch  # noqa: F401
import torch.nn as nn
from torch.nn import functional as F  # noqa: F401

from .layers import create_conv2d, drop_path, make_divisible  # noqa: F401
from .layers.activations import sigmoid

BN_MOMENTUM_TF_DEFAULT = 1 - 0.99
BN_EPS_TF_DEFAULT = 1e-3


def get_bn_args_tf():
    return dict(momentum=BN_MOMENTUM_TF_DEFAULT, eps=BN_EPS_TF_DEFAULT)


def resolve_bn_args(kwargs):
    """Takes bn_tf, bn_momentum and bn_eps out of a model's kwargs; none given means BatchNorm2d's defaults."""
    bn_args = get_bn_args_tf() if kwargs.pop("bn_tf", False) else {}
    momentum = kwargs.pop("bn_momentum", None)
    if momentum is not None:
        bn_args["momentum"] = momentum
    eps = kwargs.pop("bn_eps", None)
    if eps is not None:
        bn_args["eps"] = eps
    return bn_args


def resolve_se_args(kwargs, in_chs, act_layer=None):
    se_kwargs = dict(kwargs or {})
    se_kwargs.setdefault("gate_fn", sigmoid)
    se_kwargs.setdefault("act_layer", None)
    se_kwargs.setdefault("divisor", 1)
    if not se_kwargs.pop("reduce_mid", False):
        se_kwargs["reduced_base_chs"] = in_chs
    if se_kwargs["act_layer"] is None:
        assert act_layer is not None
        se_kwargs["act_layer"] = act_layer
    return se_kwargs


def round_channels(channels, multiplier=1.0, divisor=8, channel_min=None):
    if not multiplier:
        return channels
    return make_divisible(channels * multiplier, divisor, channel_min)


class SqueezeExcite(nn.Module):
    def __init__(self, in_chs, se_ratio=0.25, reduced_base_chs=None, act_layer=nn.ReLU, gate_fn=sigmoid,
                 divisor=1, **_):
        super().__init__()
        reduced = make_divisible((reduced_base_chs or in_chs) * se_ratio, divisor)
        self.gate_fn = gate_fn
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_reduce = nn.Conv2d(in_chs, reduced, 1, bias=True)
        self.act1 = act_layer(inplace=True)
        self.conv_expand = nn.Conv2d(reduced, in_chs, 1, bias=True)

    def forward(self, x):
        scale = self.conv_expand(self.act1(self.conv_reduce(self.avg_pool(x))))
        return x * self.gate_fn(scale)


def _squeeze_excite(chs, in_chs, se_ratio, se_kwargs, act_layer):
    if se_ratio is None or not se_ratio > 0.:
        return None
    return SqueezeExcite(chs, se_ratio=se_ratio, **resolve_se_args(se_kwargs, in_chs, act_layer))


class ConvBnAct(nn.Module):
    def __init__(self, in_chs, out_chs, kernel_size, stride=1, dilation=1, pad_type="", act_layer=nn.ReLU,
                 norm_layer=nn.BatchNorm2d, norm_kwargs=None):
        super().__init__()
        self.conv = create_conv2d(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation, padding=pad_type)
        self.bn1 = norm_layer(out_chs, **(norm_kwargs or {}))
        self.act1 = act_layer(inplace=True)

    def forward(self, x):
        return self.act1(self.bn1(self.conv(x)))


class DepthwiseSeparableConv(nn.Module):
    def __init__(self, in_chs, out_chs, dw_kernel_size=3, stride=1, dilation=1, pad_type="", act_layer=nn.ReLU,
                 noskip=False, pw_kernel_size=1, pw_act=False, se_ratio=0., se_kwargs=None,
                 norm_layer=nn.BatchNorm2d, norm_kwargs=None, drop_path_rate=0.):
        super().__init__()
        norm_kwargs = norm_kwargs or {}
        self.has_residual = stride == 1 and in_chs == out_chs and not noskip
        self.drop_path_rate = drop_path_rate
        self.conv_dw = create_conv2d(in_chs, in_chs, dw_kernel_size, stride=stride, dilation=dilation,
                                     padding=pad_type, depthwise=True)
        self.bn1 = norm_layer(in_chs, **norm_kwargs)
        self.act1 = act_layer(inplace=True)
        self.se = _squeeze_excite(in_chs, in_chs, se_ratio, se_kwargs, act_layer)
        self.conv_pw = create_conv2d(in_chs, out_chs, pw_kernel_size, padding=pad_type)
        self.bn2 = norm_layer(out_chs, **norm_kwargs)
        self.act2 = act_layer(inplace=True) if pw_act else nn.Identity()

    def forward(self, x):
        shortcut = x
        x = self.act1(self.bn1(self.conv_dw(x)))
        if self.se is not None:
            x = self.se(x)
        x = self.act2(self.bn2(self.conv_pw(x)))
        if self.has_residual:
            x = drop_path(x, self.drop_path_rate, self.training) + shortcut
        return x


class InvertedResidual(nn.Module):
    def __init__(self, in_chs, out_chs, dw_kernel_size=3, stride=1, dilation=1, pad_type="", act_layer=nn.ReLU,
                 noskip=False, exp_ratio=1.0, exp_kernel_size=1, pw_kernel_size=1, se_ratio=0., se_kwargs=None,
                 norm_layer=nn.BatchNorm2d, norm_kwargs=None, conv_kwargs=None, drop_path_rate=0.):
        super().__init__()
        norm_kwargs = norm_kwargs or {}
        conv_kwargs = conv_kwargs or {}
        mid_chs = make_divisible(in_chs * exp_ratio)
        self.has_residual = stride == 1 and in_chs == out_chs and not noskip
        self.drop_path_rate = drop_path_rate
        self.conv_pw = create_conv2d(in_chs, mid_chs, exp_kernel_size, padding=pad_type, **conv_kwargs)
        self.bn1 = norm_layer(mid_chs, **norm_kwargs)
        self.act1 = act_layer(inplace=True)
        self.conv_dw = create_conv2d(mid_chs, mid_chs, dw_kernel_size, stride=stride, dilation=dilation,
                                     padding=pad_type, depthwise=True, **conv_kwargs)
        self.bn2 = norm_layer(mid_chs, **norm_kwargs)
        self.act2 = act_layer(inplace=True)
        self.se = _squeeze_excite(mid_chs, in_chs, se_ratio, se_kwargs, act_layer)
        self.conv_pwl = create_conv2d(mid_chs, out_chs, pw_kernel_size, padding=pad_type, **conv_kwargs)
        self.bn3 = norm_layer(out_chs, **norm_kwargs)

    def forward(self, x):
        shortcut = x
        x = self.act1(self.bn1(self.conv_pw(x)))
        x = self.act2(self.bn2(self.conv_dw(x)))
        if self.se is not None:
            x = self.se(x)
        x = self.bn3(self.conv_pwl(x))
        if self.has_residual:
            x = drop_path(x, self.drop_path_rate, self.training) + shortcut
        return x
