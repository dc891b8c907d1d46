#!/usr/bin/env python3
"""Official logits for the reference fixtures' extra inputs (seeds "input-1", "input-2"), and the
official float64 logits for every input, the fixture's own (seed "input") included.

For provenance only: the project's tests never run Python. For each fixture key
this builds the official PyTorch model exactly as the fixture's `source`,
`config` and `notes` say, fills it with the fixture-formula weights, and

  1. checks that it reproduces the fixture's own `expected_logits` (seed
     "input") within the fixture's tolerance - otherwise the setup is wrong and
     nothing is written;
  2. for every extra seed, runs the model in float32 and in float64 and writes
     the float32 logits and max |fp32 - fp64| to
     <module>/src/test/resources/reference/<key>.inputs.json.gz;
  3. for every seed, "input" included, writes the float64 model's logits
     (model.double(), input cast to float64) there too, each as the shortest
     decimal that reads back as the same double.

The official code is imported from the checkouts given on the command line
(nothing of it lives in this repository); the few timm names it imports come
from the stand-in package in shim/ (with stand-ins for thop and yacs, which
Cream's lib imports but never uses to build a model).

  extra_inputs.py --cream CREAM_CHECKOUT [--asvit ASVIT_CHECKOUT] [KEY ...]
"""
import argparse
import ast
import base64
import collections.abc
import gzip
import importlib
import json
import math
import subprocess
import sys
import time
import types
import zlib
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEEDS = ("input-1", "input-2")
MODULES = {"efficientvit": "plugin-models", "tinyvit": "plugin-models", "autoformer": "plugin-autoformer",
           "s3": "plugin-autoformer", "asvit": "plugin-asvit", "cream": "plugin-cream", "deit": "plugin-models",
           "irpe": "plugin-models", "mini": "plugin-models", "cdarts": "plugin-cdarts"}
IRPE_KEYS = ["irpe-deit-tiny-patch16-224-ctx-product-50-shared-k"] \
    + ["irpe-deit-small-patch16-224-" + name for name in (
        "ctx-euc-20-shared-k", "ctx-quant-51-shared-k", "ctx-cross-56-shared-k", "ctx-product-50-shared-k",
        "ctx-product-50-shared-qk", "ctx-product-50-shared-qkv", "bias-product-50-shared-k", "bias-product-50-k")] \
    + ["irpe-deit-base-patch16-224-ctx-product-50-shared-" + on for on in ("k", "qkv")]
KEYS = [f"efficientvit-m{i}" for i in range(6)] + ["tinyvit-5m", "tinyvit-11m", "tinyvit-21m"] \
    + [f"autoformer-{s}" for s in "tsb"] + [f"s3-{s}" for s in "tsb"] + ["asvit-seed", "asvit-large"] \
    + [f"cream-{n}" for n in (14, 43, 114, 287, 481, 604)] + ["deit-tiny", "deit-small"] + IRPE_KEYS \
    + [f"mini-deit-{s}" for s in ("tiny", "small", "base")] + ["cdarts-cifar", "cdarts-imagenet"]
# Top-level package names of the official trees; they clash between trees ("model", "models").
OFFICIAL_PACKAGES = ("model", "models", "lib", "irpe", "mini_vision_transformer", "mini_deit_models")


# ---- the fixtures' formula (as their README and weights.py define it) ----

def hash_uniform(seed, n):
    mask = np.uint64(0xFFFFFFFF)
    h = (np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64(seed)) & mask
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & mask
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & mask
    h ^= h >> np.uint64(16)
    return h.astype(np.float64) / 2.0 ** 31 - 1.0


def formula(name, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    u = hash_uniform(zlib.crc32(name.encode()), n)
    if name.endswith("running_var"):
        v = 1 + 0.5 * u * u
    elif name.endswith("running_mean"):
        v = 0.1 * u
    elif name.endswith("weight") and len(shape) == 1:
        v = 1 + 0.1 * u
    elif name.endswith("bias"):
        v = 0.05 * u
    elif len(shape) >= 2:
        v = u * math.sqrt(3.0 / int(np.prod(shape[1:])))
    else:
        v = 0.1 * u
    return v.astype(np.float32).reshape(shape)


_NP = {"float32": np.float32, "int64": np.int64, "int32": np.int32, "bool": np.bool_}


def state_dict(spec):
    tensors = {}
    for entry in spec["state_dict"]:
        name, shape, dtype = entry["name"], entry["shape"], entry["dtype"]
        if "values_b64" in entry:
            array = np.frombuffer(base64.b64decode(entry["values_b64"]), dtype=_NP[dtype]).reshape(shape).copy()
        elif dtype == "float32":
            array = formula(name, shape)
        else:
            array = np.zeros(shape, dtype=_NP[dtype])
        tensors[name] = torch.from_numpy(array)
    return tensors


def input_batch(shape, seed):
    n = int(np.prod(shape))
    return (1.5 * hash_uniform(zlib.crc32(seed.encode()), n)).astype(np.float32).reshape(shape)


# ---- official builders ----

_official_roots = []


def import_from(root, *modules):
    """Imports `modules` from the official tree `root` alone: other trees' packages of the same names
    ("model" is a regular package in EfficientViT, a namespace package in AutoFormer) must not shadow them."""
    for name in list(sys.modules):
        if name.split(".")[0] in OFFICIAL_PACKAGES:
            del sys.modules[name]
    for other in _official_roots:
        while other in sys.path:
            sys.path.remove(other)
    _official_roots[:] = [str(root)]
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    imported = [importlib.import_module(module) for module in modules]
    return imported[0] if len(imported) == 1 else imported


def yaml_load(path):
    import yaml
    with open(path) as f:
        return yaml.safe_load(f)


class Official:
    """An official model factory: build() gives an untrained model; finish(model) runs after loading and eval()."""

    def __init__(self, build, finish=None):
        self.build = build
        self.finish = finish or (lambda model: None)


def efficientvit(cream, key):
    build = import_from(cream / "EfficientViT" / "classification", "model.build")
    builder = getattr(build, "EfficientViT_M" + key[-1])
    return Official(lambda: builder(num_classes=1000, pretrained=False, distillation=False, fuse=False))


def tinyvit(cream, key):
    tiny_vit = import_from(cream / "TinyViT", "models.tiny_vit")
    builder = getattr(tiny_vit, "tiny_vit_%s_224" % key.split("-")[1])
    return Official(lambda: builder(pretrained=False, num_classes=1000))


def autoformer(cream, key):
    # AutoFormer/model/utils.py imports torch._six.container_abcs, which PyTorch 1.9+ no longer has.
    import torch._six
    torch._six.container_abcs = collections.abc
    root = cream / "AutoFormer"
    supernet = import_from(root, "model.supernet_transformer")
    size = key.split("-")[1].upper()
    cfg_super = yaml_load(root / "experiments" / "supernet" / f"supernet-{size}.yaml")["SUPERNET"]
    retrain = yaml_load(root / "experiments" / "subnet" / f"AutoFormer-{size}.yaml")["RETRAIN"]
    # supernet_train.py --gp --change_qkv --relative_position --mode retrain, its defaults otherwise.
    build = lambda: supernet.Vision_TransformerSuper(
        img_size=224, patch_size=16, embed_dim=cfg_super["EMBED_DIM"], depth=cfg_super["DEPTH"],
        num_heads=cfg_super["NUM_HEADS"], mlp_ratio=cfg_super["MLP_RATIO"], qkv_bias=True, drop_rate=0.0,
        drop_path_rate=0.1, gp=True, num_classes=1000, max_relative_position=14, relative_position=True,
        change_qkv=True, abs_pos=True)
    config = {"layer_num": retrain["DEPTH"], "embed_dim": [retrain["EMBED_DIM"]] * retrain["DEPTH"],
              "num_heads": retrain["NUM_HEADS"], "mlp_ratio": retrain["MLP_RATIO"]}
    # qkv_super keeps a sliced copy of its weight: set the subnet only once the weights are in place.
    return Official(build, lambda model: model.set_sample_config(config=config))


def s3(cream, key):
    root = cream / "AutoFormerV2"
    sss = import_from(root, "model.SSS")
    cfg = yaml_load(root / "configs" / ("S3-%s.yaml" % key.split("-")[1].upper()))
    # As AutoFormerV2/evaluation.py constructs it (input size 224, patch size 4).
    return Official(lambda: sss.SSSTransformer(
        img_size=224, patch_size=4, num_classes=1000, embed_dim=cfg["EMBED_DIM"], depths=cfg["DEPTHS"],
        num_heads=cfg["NUM_HEADS"], window_size=cfg["WINDOW_SIZE"], mlp_ratio=cfg["MLP_RATIO"], qkv_bias=True,
        drop_rate=0.0, drop_path_rate=0.1, patch_norm=True))


def retrain_arch(retrain_py, selection):
    """Cream/tools/retrain.py's arch_list for `selection` and the arch_def it makes of it: the literals
    are read from the official file (its `if cfg.NET.SELECTION == N:` branch, `stem`, `choice_block_pool`)."""
    tree = ast.parse(retrain_py.read_text())
    assigned = lambda body, name: [ast.literal_eval(node.value) for node in body
                                   if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name]
    branches = [node.body for node in ast.walk(tree)
                if isinstance(node, ast.If) and ast.unparse(node.test) == "cfg.NET.SELECTION == %d" % selection]
    main_body = next(node.body for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "main")
    [branch] = branches
    [arch_list] = assigned(branch, "arch_list")
    [stem], [pool] = assigned(main_body, "stem"), assigned(main_body, "choice_block_pool")
    # arch_def: the DS stem block, then choice_block_pool[i] once per entry of arch_list[i + 1], then the CN block.
    arch_def = [[stem[0]]] + [[block] * len(arch_list[i + 1]) for i, block in enumerate(pool)] + [[stem[1]]]
    return arch_list, arch_def


def childnet(cream, key, spec):
    root = cream / "Cream"
    structures = import_from(root, "lib.models.structures.childnet")
    selection = int(key.split("-")[1])
    arch_list, arch_def = retrain_arch(root / "tools" / "retrain.py", selection)
    if arch_list != spec["config"]["arch_list"] or arch_def != spec["config"]["arch_def_template"]:
        raise SystemExit("%s: tools/retrain.py's architecture differs from the fixture's config" % key)
    # As tools/retrain.py calls it, with its retrain yaml's values (that of 114 and 287 says SELECTION 470,
    # a typo in the repository: the key gives the selection).
    cfg = yaml_load(root / "experiments" / "configs" / "retrain" / f"{selection}.yaml")
    return Official(lambda: structures.gen_childnet(
        arch_list, arch_def, num_classes=cfg["DATASET"]["NUM_CLASSES"], drop_rate=cfg["NET"]["DROPOUT_RATE"],
        global_pool=cfg["NET"]["GP"]))


def asvit(asvit_root, spec):
    lib = asvit_root / "lib"
    transformer, genotypes = import_from(lib, "models.cell_infers.transformer", "models.cell_searchs.genotypes")
    genotype = genotypes.Structure(spec["config"]["topology"])
    # search/reinforce.py generate_arch and search/grow.py: embed_dim = hidden size, depths = layers per stage.
    return Official(lambda: transformer.Transformer(
        img_size=224, patch_sizes=genotype.patch_sizes, stride=4, in_chans=3, num_classes=1000,
        embed_dim=genotype.hidden_size, depths=genotype.num_layers, num_heads=genotype.heads,
        window_sizes=genotype.window_sizes, mlp_ratios=genotype.mlp_ratios, drop_rate=0., attn_drop_rate=0.,
        drop_path_rate=0., use_checkpoint=False))


def deit(cream, spec):
    """iRPE's DeiT (models.py's deit_*_patch16_224 on rpe_vision_transformer.py), with the fixture's
    get_rpe_config arguments for the irpe keys, as rpe_models.py builds its zoo."""
    root = cream / "iRPE" / "DeiT-with-iRPE"
    irpe, models = import_from(root, "irpe", "models")
    config = spec["config"]
    size = {192: "tiny", 384: "small", 768: "base"}[config["embed_dim"]]
    builder = getattr(models, "deit_%s_patch16_224" % size)
    args = config.get("rpe_get_config_args")
    rpe = irpe.get_rpe_config(**args) if args else None
    return Official(lambda: builder(pretrained=False, rpe_config=rpe))


def mini_deit(cream, key):
    """MiniViT's Mini-DeiT: mini_deit_models.py's mini_deit_*_patch16_224 (on its own models.py and
    mini_vision_transformer.py, with Mini-DeiT's irpe.py)."""
    models = import_from(cream / "MiniViT" / "Mini-DeiT", "mini_deit_models")
    return Official(lambda: getattr(models, "mini_deit_%s_patch16_224" % key.split("-")[-1])(pretrained=False))


def cdarts(cream, spec):
    """CDARTS's evaluation network: CDARTS/lib/models/model_test.py's ModelTest as test.py builds it, on the
    fixture's genotypes (lib/utils/genotypes.py's from_str); its forward returns (logits, logits)."""
    model_test, genotypes = import_from(cream / "CDARTS", "lib.models.model_test", "lib.utils.genotypes")
    config = spec["config"]
    cells = {int(layer): genotypes.from_str(text) for layer, text in config["genotypes"].items()}

    def build():
        model = model_test.ModelTest(cells, config["model_type"], config["res_stem"], init_channel=config["init_channels"],
                                     stem_multiplier=config["stem_multiplier"], n_nodes=config["n_nodes"],
                                     num_classes=spec["num_classes"])
        model.forward = types.MethodType(lambda self, x: model_test.ModelTest.forward(self, x)[0], model)
        return model
    return Official(build)


def official(args, key, spec):
    family = key.split("-")[0]
    if family == "asvit":
        return asvit(args.asvit, spec)
    if family == "cream":
        return childnet(args.cream, key, spec)
    if family in ("deit", "irpe"):
        return deit(args.cream, spec)
    if family == "mini":
        return mini_deit(args.cream, key)
    if family == "cdarts":
        return cdarts(args.cream, spec)
    return {"efficientvit": efficientvit, "tinyvit": tinyvit, "autoformer": autoformer, "s3": s3}[family](args.cream, key)


def loaded(factory, spec, dtype):
    """Builds, loads the formula weights (before eval(): EfficientViT and TinyViT cache biases in eval()), evals."""
    model = factory.build()
    weights = state_dict(spec)
    names = list(model.state_dict().keys())
    expected = [entry["name"] for entry in spec["state_dict"]]
    if names != expected:
        raise SystemExit("%s: official state_dict names differ from the fixture's: %s"
                         % (spec["key"], sorted(set(names) ^ set(expected))[:10]))
    model.load_state_dict(weights, strict=True)
    model.to(dtype)
    model.eval()
    factory.finish(model)
    return model


def logits(model, x, dtype):
    with torch.no_grad():
        return model(torch.from_numpy(x).to(dtype)).double().numpy()


def tolerance(expected, fp_error):
    return max(1e-4 * max(1.0, float(np.abs(expected).max())), 3 * fp_error)


def fp_check(spec):
    checks = spec.get("checks") if isinstance(spec.get("checks"), dict) else spec.get("sanity")
    return checks["max_abs_diff_fp32_vs_fp64"]


def commit(path, given):
    if given:
        return given
    try:
        return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit("%s is not a git checkout: give its commit with --cream-commit / --asvit-commit" % path)


def fixture_dir(key):
    return REPO / MODULES[key.split("-")[0]] / "src" / "test" / "resources" / "reference"


def float32_rows(array):
    return "[" + ", ".join("[" + ", ".join(str(np.float32(v)) for v in row) + "]" for row in array) + "]"


def float64_rows(array):
    # repr of a Python float is the shortest decimal that reads back as the same double.
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in array) + "]"


def write(key, produced_by, inputs):
    parts = ['{"key": %s,' % json.dumps(key), ' "produced_by": %s,' % json.dumps(produced_by), ' "inputs": [']
    for i, item in enumerate(inputs):
        fields = ['"seed": %s' % json.dumps(item["seed"]), '"shape": %s' % json.dumps(item["shape"])]
        if "logits" in item:  # the fixture's own input has its float32 logits in the fixture
            fields += ['"expected_logits": %s' % float32_rows(item["logits"]),
                       '"max_abs_diff_fp32_vs_fp64": %s' % repr(item["fp_error"])]
        fields.append('"expected_logits_fp64": %s' % float64_rows(item["logits_fp64"]))
        parts.append('  {%s}%s' % (", ".join(fields), "," if i + 1 < len(inputs) else ""))
    parts.append(']}')
    text = "\n".join(parts) + "\n"
    read = json.loads(text)  # well-formed, and the float64 logits read back exactly
    for item, entry in zip(inputs, read["inputs"]):
        if not np.array_equal(np.array(entry["expected_logits_fp64"], dtype=np.float64), item["logits_fp64"]):
            raise SystemExit("%s %s: the float64 logits do not read back exactly" % (key, item["seed"]))
    path = fixture_dir(key) / (key + ".inputs.json.gz")
    with open(path, "wb") as f:
        # mtime 0 and no file name: the same logits give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(text.encode())
    return path


def run(args, key):
    with gzip.open(fixture_dir(key) / (key + ".json.gz"), "rt") as f:
        spec = json.load(f)
    factory = official(args, key, spec)
    shape = spec["input_shape"]
    started = time.time()
    model32 = loaded(factory, spec, torch.float32)
    model64 = loaded(factory, spec, torch.float64)

    x = input_batch(shape, "input")
    own = logits(model32, x, torch.float32)
    expected = np.array(spec["expected_logits"], dtype=np.float64)
    own_diff = float(np.abs(own - expected).max())
    own_tol = tolerance(expected, fp_check(spec))
    own64 = logits(model64, x, torch.float64)
    own_fp = float(np.abs(own - own64).max())
    print("%-16s input    |official - fixture| %.3g (tolerance %.3g); fp32-vs-fp64 %.3g (fixture says %.3g)"
          % (key, own_diff, own_tol, own_fp, fp_check(spec)), flush=True)
    if not own_diff <= own_tol:
        raise SystemExit("%s: the official model does not reproduce the fixture's expected_logits" % key)

    inputs = [{"seed": "input", "shape": shape, "logits_fp64": own64}]
    for seed in SEEDS:
        x = input_batch(shape, seed)
        out32 = logits(model32, x, torch.float32)
        out64 = logits(model64, x, torch.float64)
        fp_error = float(np.abs(out32 - out64).max())
        print("%-16s %-8s fp32-vs-fp64 %.3g, max|logit| %.4g, tolerance %.3g"
              % (key, seed, fp_error, np.abs(out32).max(), tolerance(out32, fp_error)), flush=True)
        inputs.append({"seed": seed, "shape": shape, "logits": out32.astype(np.float32), "fp_error": fp_error,
                       "logits_fp64": out64})

    family = key.split("-")[0]
    repo, sha = ("VITA-Group/AsViT", args.asvit_sha) if family == "asvit" else ("microsoft/Cream", args.cream_sha)
    source = spec["source"].split(":")[0].split(" ", 1)[1] if spec["source"].startswith(repo) else spec["source"]
    produced_by = ("official code: %s/%s at commit %s, PyTorch %s CPU (%d threads), eval, no_grad, "
                   "fixture-formula weights (tools/official/extra_inputs.py)"
                   % (repo, source, sha, torch.__version__, torch.get_num_threads()))
    path = write(key, produced_by, inputs)
    print("%-16s wrote %s (%.0f s)" % (key, path.relative_to(REPO), time.time() - started), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cream", type=Path, required=True, help="checkout of github.com/microsoft/Cream")
    parser.add_argument("--asvit", type=Path, help="checkout of github.com/VITA-Group/AsViT (for the asvit keys)")
    parser.add_argument("--cream-commit", help="commit of the Cream checkout, if it is not a git work tree")
    parser.add_argument("--asvit-commit", help="commit of the AsViT checkout, if it is not a git work tree")
    parser.add_argument("--threads", type=int, help="PyTorch intra-op threads (default: PyTorch's, one per core)")
    parser.add_argument("keys", nargs="*", default=KEYS, help="fixture keys (default: all %d)" % len(KEYS))
    args = parser.parse_args(argv)
    for key in args.keys:
        if key not in KEYS:
            raise SystemExit("unknown key %s (known: %s)" % (key, ", ".join(KEYS)))
    args.cream = args.cream.resolve()
    args.cream_sha = commit(args.cream, args.cream_commit)
    args.asvit_sha = None
    if any(key.startswith("asvit-") for key in args.keys):
        if args.asvit is None:
            raise SystemExit("the asvit keys need --asvit")
        args.asvit = args.asvit.resolve()
        args.asvit_sha = commit(args.asvit, args.asvit_commit)
    if args.threads:
        torch.set_num_threads(args.threads)
    sys.path.insert(0, str(HERE / "shim"))
    for key in args.keys:
        run(args, key)


if __name__ == "__main__":
    main(sys.argv[1:])
