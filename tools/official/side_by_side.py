"""Creamery beside the official PyTorch code on this machine: inference images/s per variant and batch,
and the quick start's supernet training step, measured in one run, alternating ours and theirs per model.

Ours is `creamery profile` (its deploy form, median of timed passes after warm-up, the 1024x1024 matmul rate
of the same run). Theirs is the official model built by extra_inputs.py's builders (random weights: speed does
not depend on them), eval mode under torch.no_grad(), timed the same way in a child Python per setting, at
the best of the settings a careful user would try (docs/benchmarks.md):

  glibc       the environment as it is;
  launcher    our launcher's glibc settings, MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0;
  one-blas    those plus OPENBLAS_NUM_THREADS=1 (Debian's OpenBLAS otherwise starts threads beside PyTorch's).

EfficientViT is also timed in its official deploy form (build.py's fuse=True, the batch norms merged as its
speed_test.py does); the better of the two forms counts.

The supernet row times the quick start's space (examples/quickstart.conf, AutoFormer tiny-28) both ways:
ours with `creamery profile examples/quickstart.conf --mode training`, theirs with the official
Vision_TransformerSuper of the same widths, set_sample_config to a member drawn as supernet_engine.py's
sample_configs draws it before every step, label-smoothed cross entropy and AdamW over all its parameters (as
supernet_train.py, without amp on a CPU). The official layer fixes the head width at 64; the preset's is 32,
which the script passes to the official attention in place of the constant (see patch_head_width).

Usage (the official checkouts are not part of this repository):

    python3 tools/official/side_by_side.py --cream CREAM --asvit ASVIT --threads 2 > side-by-side.md
    python3 tools/official/side_by_side.py --cream CREAM --threads 2 efficientvit-m0 supernet
"""

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SETTINGS = {
    "glibc": {},
    "launcher": {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_MAX_": "0"},
    "one-blas": {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_MAX_": "0", "OPENBLAS_NUM_THREADS": "1"},
}
DEFAULT_KEYS = [f"efficientvit-m{i}" for i in range(6)] + ["tinyvit-5m", "tinyvit-11m", "tinyvit-21m"] \
    + [f"autoformer-{s}" for s in "tsb"] + [f"s3-{s}" for s in "tsb"] + ["asvit-seed", "asvit-large"] \
    + [f"cream-{n}" for n in (14, 43, 114, 287, 481, 604)] + [f"deit-{s}" for s in ("tiny", "small", "base")] \
    + ["irpe-deit-small-patch16-224-ctx-product-50-shared-qkv"] \
    + [f"mini-deit-{s}" for s in ("tiny", "small", "base")] + ["cdarts-cifar", "cdarts-imagenet", "supernet"]
SUPERNET_BATCH = 128
PLAIN_DEIT = {"deit-tiny": 192, "deit-small": 384, "deit-base": 768}
# examples/quickstart.conf's space: AutoFormer preset tiny-28 (plugin-autoformer's Preset.TINY_28) with the
# quick start's wider embedding and depth candidates; the supernet's widths are the preset's.
TINY_28 = {"img_size": 28, "patch_size": 7, "in_chans": 1, "num_classes": 10, "embed_dim": 128, "depth": 5,
           "num_heads": 4, "mlp_ratio": 4.0, "max_relative_position": 4, "head_width": 32,
           "choices": {"embed_dim": [32, 64, 96, 128], "depth": [2, 3, 4, 5], "mlp_ratio": [2.0, 3.0, 4.0], "num_heads": [2, 3, 4]}}


# ---- the child: one official model, one setting ----

def timed(run, passes, budget=20.0):
    """Median seconds of `passes` timed runs after two warm-up runs (one if it takes over 5 s); fewer timed
    runs (at least two) once they have taken `budget` seconds, so that the slowest models take minutes."""
    started = time.perf_counter()
    run()
    if time.perf_counter() - started < 5:
        run()
    seconds = []
    while len(seconds) < passes and (len(seconds) < 2 or sum(seconds) < budget):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def matmul_rate(torch):
    a, b = torch.rand(1024, 1024) * 2 - 1, torch.rand(1024, 1024) * 2 - 1
    return 1024 ** 3 / timed(lambda: a @ b, 7)


def official_inference(args, torch):
    import extra_inputs
    key = args.key
    spec = None
    fixture = extra_inputs.fixture_dir(key) / (key + ".json.gz")
    if fixture.exists():
        with gzip.open(fixture, "rt") as f:
            spec = json.load(f)
    elif key in PLAIN_DEIT:
        # No fixture holds deit-base; its official builder needs only the width, which names it.
        spec = {"config": {"embed_dim": PLAIN_DEIT[key]}}
    roots = argparse.Namespace(cream=args.cream, asvit=args.asvit)
    factory = extra_inputs.official(roots, key, spec)
    if args.deploy:
        build = extra_inputs.import_from(args.cream / "EfficientViT" / "classification", "model.build")
        builder = getattr(build, "EfficientViT_M" + key[-1])
        factory = extra_inputs.Official(lambda: builder(num_classes=1000, pretrained=False, distillation=False, fuse=True))
    model = factory.build()
    model.eval()
    factory.finish(model)
    result = {}
    with torch.no_grad():
        for batch in args.batches:
            x = torch.randn(batch, *args.input)
            result[str(batch)] = batch / timed(lambda: model(x), args.passes[str(batch)])
    return result


def patch_head_width(supernet_module, width):
    """The official TransformerEncoderLayer.set_sample_config passes heads * 64 to its attention; this passes
    heads * width instead (the attention slices its tables to what it is given)."""
    layer = supernet_module.TransformerEncoderLayer
    original = layer.set_sample_config

    def set_sample_config(self, is_identity_layer, sample_embed_dim=None, sample_mlp_ratio=None, sample_num_heads=None,
                          sample_dropout=None, sample_attn_dropout=None, sample_out_dim=None):
        original(self, is_identity_layer, sample_embed_dim, sample_mlp_ratio, sample_num_heads, sample_dropout,
                 sample_attn_dropout, sample_out_dim)
        if not is_identity_layer:
            self.attn.set_sample_config(sample_q_embed_dim=sample_num_heads * width, sample_num_heads=sample_num_heads,
                                        sample_in_embed_dim=sample_embed_dim)
    layer.set_sample_config = set_sample_config


def sample_config(choices, rng):
    """supernet_engine.py's sample_configs."""
    depth = rng.choice(choices["depth"])
    config = {d: [rng.choice(choices[d]) for _ in range(depth)] for d in ("mlp_ratio", "num_heads")}
    config["embed_dim"] = [rng.choice(choices["embed_dim"])] * depth
    config["layer_num"] = depth
    return config


def official_supernet(args, torch):
    import collections.abc
    import extra_inputs
    import torch._six
    torch._six.container_abcs = collections.abc
    supernet_module = extra_inputs.import_from(args.cream / "AutoFormer", "model.supernet_transformer")
    patch_head_width(supernet_module, TINY_28["head_width"])
    t = TINY_28
    model = supernet_module.Vision_TransformerSuper(
        img_size=t["img_size"], patch_size=t["patch_size"], in_chans=t["in_chans"], num_classes=t["num_classes"],
        embed_dim=t["embed_dim"], depth=t["depth"], num_heads=t["num_heads"], mlp_ratio=t["mlp_ratio"], qkv_bias=True,
        drop_rate=0.0, drop_path_rate=0.0, gp=True, relative_position=True, change_qkv=True, abs_pos=True,
        max_relative_position=t["max_relative_position"])
    model.train()
    # timm's create_optimizer for AdamW: no decay on biases, norms and the no_weight_decay names.
    skip = model.no_weight_decay()
    decay = [p for n, p in model.named_parameters() if not (p.ndim <= 1 or n.endswith(".bias") or n in skip)]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1 or n.endswith(".bias") or n in skip]
    optimizer = torch.optim.AdamW([{"params": no_decay, "weight_decay": 0.0}, {"params": decay, "weight_decay": 0.05}], lr=1e-4)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    rng = random.Random(42)
    x = torch.randn(SUPERNET_BATCH, t["in_chans"], t["img_size"], t["img_size"])
    y = torch.randint(0, t["num_classes"], (SUPERNET_BATCH,))

    def step():
        model.set_sample_config(config=sample_config(t["choices"], rng))
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    # Members differ in size: total images over total time of the timed steps, as ours reports it.
    step(), step(), step()
    started = time.perf_counter()
    steps = args.passes[str(SUPERNET_BATCH)]
    for _ in range(steps):
        step()
    params = sum(p.numel() for p in model.parameters())
    return {str(SUPERNET_BATCH): steps * SUPERNET_BATCH / (time.perf_counter() - started), "params": params}


def child(args):
    import torch
    torch.set_num_threads(args.threads)
    sys.path.insert(0, str(HERE / "shim"))
    sys.path.insert(0, str(HERE))
    result = official_supernet(args, torch) if args.key == "supernet" else official_inference(args, torch)
    result["matmul"] = matmul_rate(torch)
    result["torch"] = torch.__version__
    print(json.dumps(result))


# ---- the parent: alternate ours and theirs per model ----

def ours(args, key):
    """creamery profile: one run per batch size (its repeats are per run), as JSON."""
    runs = []
    if key == "supernet":
        runs.append(["profile", str(REPO / "examples" / "quickstart.conf"), "--mode", "training",
                     "--batch", str(SUPERNET_BATCH), "--repeats", str(args.supernet_repeats)])
    else:
        for batch in args.batches:
            runs.append(["profile", key, "--batch", str(batch), "--repeats", str(args.repeats[str(batch)])])
    merged = None
    for command in runs:
        out = subprocess.run([args.creamery, *command, "--threads", str(args.threads), "--json"], check=True,
                             capture_output=True, text=True).stdout
        profile = json.loads(out)
        if merged is None:
            merged = profile
        else:
            merged["measurements"] += profile["measurements"]
    return merged


def theirs(args, key, input_shape):
    best = {}
    forms = [False, True] if key.startswith("efficientvit-") else [False]
    for name, variables in SETTINGS.items():
        for deploy in forms:
            command = [sys.executable, __file__, "--child", key, "--cream", str(args.cream), "--threads", str(args.threads),
                       "--input", ",".join(map(str, input_shape)), "--passes", json.dumps(args.repeats)]
            if args.asvit:
                command += ["--asvit", str(args.asvit)]
            if deploy:
                command.append("--deploy")
            env = dict(os.environ, **variables)
            out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
            result = json.loads(out.strip().splitlines()[-1])
            label = name + (", fused" if deploy else "")
            for batch, rate in result.items():
                if batch.isdigit() and rate > best.get(batch, (0,))[0]:
                    best[batch] = (rate, label)
            best["matmul"] = max(best.get("matmul", 0), result["matmul"])
            best["torch"] = result["torch"]
            if "params" in result:
                best["params"] = result["params"]
    return best


def median_profile(rounds):
    """The round whose images/s is the median, per measurement."""
    merged = dict(rounds[0])
    merged["measurements"] = []
    for i in range(len(rounds[0]["measurements"])):
        ranked = sorted((r["measurements"][i] for r in rounds), key=lambda m: m["images_per_second"])
        merged["measurements"].append(ranked[len(ranked) // 2])
    merged["matmul_ceiling_flops_per_second"] = statistics.median(r["matmul_ceiling_flops_per_second"] for r in rounds)
    return merged


def median_official(rounds):
    """Per batch, the round whose best setting is the median."""
    merged = dict(rounds[0])
    for batch in rounds[0]:
        if batch.isdigit():
            merged[batch] = sorted((r[batch] for r in rounds), key=lambda pair: pair[0])[len(rounds) // 2]
    merged["matmul"] = statistics.median(r["matmul"] for r in rounds)
    return merged


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cream", type=Path, required=True, help="checkout of github.com/microsoft/Cream")
    parser.add_argument("--asvit", type=Path, help="checkout of github.com/VITA-Group/AsViT (for the asvit keys)")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads on both sides (default 2)")
    parser.add_argument("--creamery", default=str(REPO / "creamery"), help="the launcher to time (default: the checkout's)")
    parser.add_argument("--batches", default="1,64", help="inference batch sizes (default 1,64)")
    parser.add_argument("--repeats", default='{"1": 21, "64": 3, "128": 10}',
                        help="timed passes per batch size, JSON (default: 21 at batch 1, 3 at 64, 10 supernet steps)")
    parser.add_argument("--supernet-repeats", type=int, default=2, help="ours: profile repeats of 5 sampled steps each")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each model this many times, ours and theirs alternating, and report the medians "
                             "(this machine's speed drifts by tens of percent within minutes)")
    parser.add_argument("--json", type=Path, help="also append every row as a JSON line to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--passes", help=argparse.SUPPRESS)
    parser.add_argument("--deploy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("keys", nargs="*", default=DEFAULT_KEYS, help="variants, and 'supernet' (default: %(default)s)")
    args = parser.parse_args(argv)
    args.batches = [int(b) for b in args.batches.split(",")]
    args.repeats = json.loads(args.repeats)
    args.cream = args.cream.resolve()
    if args.asvit:
        args.asvit = args.asvit.resolve()
    if args.child:
        args.key = args.child
        args.input = [int(v) for v in args.input.split(",")]
        args.passes = json.loads(args.passes)
        child(args)
        return
    print("| model | batch | ours images/s | ours GFLOP/s | official images/s (best setting) | ours ÷ official |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |", flush=True)
    for key in args.keys:
        mine_rounds, official_rounds = [], []
        for _ in range(args.rounds):
            mine_rounds.append(ours(args, key))
            shape = [int(v) for v in mine_rounds[0]["input"].split(" ")[0].split("x")] if key != "supernet" else [1, 28, 28]
            official_rounds.append(theirs(args, key, shape))
        mine = median_profile(mine_rounds)
        official = median_official(official_rounds)
        for m in mine["measurements"]:
            batch = str(m["batch"])
            rate, label = official[batch]
            row = {"key": key, "mode": m["mode"], "batch": m["batch"], "ours": m["images_per_second"],
                   "ours_gflops": m["flops_per_second"] / 1e9, "ours_matmul_gflops": mine["matmul_ceiling_flops_per_second"] / 1e9,
                   "official": rate, "official_setting": label, "official_matmul_gflops": official["matmul"] / 1e9,
                   "ratio": m["images_per_second"] / rate, "params": mine["params"], "official_params": official.get("params"),
                   "torch": official["torch"]}
            name = "quick-start supernet, training step" if key == "supernet" else key
            print("| `%s` | %d | %.1f | %.1f | %.1f (%s) | %.2f× |" % (name, m["batch"], row["ours"], row["ours_gflops"], rate,
                                                                  label, row["ratio"]), flush=True)
            print("  matmul 1024²: ours %.1f, official %.1f GFLOP/s" % (row["ours_matmul_gflops"], row["official_matmul_gflops"]),
                  file=sys.stderr, flush=True)
            if args.json:
                with open(args.json, "a") as f:
                    f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
