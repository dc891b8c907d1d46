"""timm.models.layers.activations: the plain (non-scripted) activations Cream's child nets use.

swish(x) = x * sigmoid(x); hard_sigmoid(x) = relu6(x + 3) / 6 (the in-place variants compute the same).
"""
import torch.nn as nn
import torch.nn.functional as F


def swish(x, inplace: bool = False):
    return x.mul_(x.sigmoid()) if inplace else x.mul(x.sigmoid())


class Swish(nn.Module):
    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return swish(x, self.inplace)


def sigmoid(x, inplace: bool = False):
    return x.sigmoid_() if inplace else x.sigmoid()


def hard_sigmoid(x, inplace: bool = False):
    if inplace:
        return x.add_(3.).clamp_(0., 6.).div_(6.)
    return F.relu6(x + 3.) / 6.
