"""timm.models.vision_transformer as far as the official files import it: trunc_normal_ (re-exported from
layers, as in timm 0.5.4), and for iRPE's DeiT files timm 0.3.2's PatchEmbed, Mlp, _cfg and default_cfgs
(HybridEmbed only named: no fixture builds a hybrid model)."""
import torch.nn as nn

from .layers import to_2tuple, trunc_normal_  # noqa: F401


def _cfg(url='', **kwargs):
    return {'url': url, 'num_classes': 1000, 'input_size': (3, 224, 224), **kwargs}


default_cfgs = {}


class Mlp(nn.Module):
    def __init__(self, in_features, hidden_features=None, out_features=None, act_layer=nn.GELU, drop=0.):
        super().__init__()
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = act_layer()
        self.fc2 = nn.Linear(hidden_features, out_features)
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class PatchEmbed(nn.Module):
    def __init__(self, img_size=224, patch_size=16, in_chans=3, embed_dim=768):
        super().__init__()
        img_size = to_2tuple(img_size)
        patch_size = to_2tuple(patch_size)
        self.img_size = img_size
        self.patch_size = patch_size
        self.num_patches = (img_size[1] // patch_size[1]) * (img_size[0] // patch_size[0])
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        B, C, H, W = x.shape
        assert H == self.img_size[0] and W == self.img_size[1]
        return self.proj(x).flatten(2).transpose(1, 2)


class HybridEmbed(nn.Module):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("hybrid DeiT models are not built by the fixtures")
