"""Runs the Python rendering of difftest programs on real PyTorch, all in this one process.

stdin: a JSON list of {"id": ..., "py": source}; stdout: a JSON list of {"id": ..., "events": [...]}.
Each program runs with a recorder `R` (see scripts/difftest/program.ts): R.at(k) marks statement
k, R.rec(name, t) records a tensor, R.err(e) the exception that stopped the program, R.final(name,
t) the `.grad` of a leaf. record.ts is the same recorder for wengert/torch; keep them in step.

PyTorch 1.13 names some nodes differently from 2.x; RENAMES maps them to the 2.x name (the facade
follows 2.x). Run with Debian's /usr/bin/python3 (python3-torch).
"""
import json
import os
import re
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))
from jsonfloat import enc  # noqa: E402

# PyTorch 1.13 -> 2.x node names, where 2.x (which the facade follows) names a node differently:
# - 1.13 routes reshape/flatten of contiguous tensors through _reshape_alias; 2.x records a view;
# - 2.x added squeeze.dims and squeeze_.dims, renumbering the in-place squeeze nodes
#   (1.13 squeeze_() = SqueezeBackward2, squeeze_(dim) = SqueezeBackward3; 2.x 3 and 4), which
#   matmul of a 1-D operand uses;
# - 2.x computes Tensor.norm() through linalg.vector_norm (but F.pairwise_distance's C++ at::norm
#   stays NormBackward1: compare.ts TORCH_NAME_AT maps that op's name back).
# Error messages: mv/addmv's size mismatch is worded as 2.x's (see Recorder.err).
RENAMES = {
    "ReshapeAliasBackward0": "ViewBackward0",
    "SqueezeBackward2": "SqueezeBackward3",
    "SqueezeBackward3": "SqueezeBackward4",
    "NormBackward0": "LinalgVectorNormBackward0",
    "NormBackward1": "LinalgVectorNormBackward0",
}


def num(x):
    return x if isinstance(x, (bool, int)) else enc(x)


def flat(v, out):
    if isinstance(v, list):
        for e in v:
            flat(e, out)
    else:
        out.append(num(v))
    return out


def node_name(fn):
    if fn is None:
        return None
    n = type(fn).__name__
    return RENAMES.get(n, n)


def info(t):
    if t is None:
        return None
    if not isinstance(t, torch.Tensor):
        return {"py": repr(t)}
    return {
        "shape": list(t.shape),
        "dtype": str(t.dtype),
        "grad_fn": node_name(t.grad_fn),
        "requires_grad": t.requires_grad,
        "is_leaf": t.is_leaf,
        "version": t._version,
        "values": flat(t.detach().tolist(), []),
    }


class Recorder:
    def __init__(self):
        self.events = []
        self.step = None

    def at(self, k):
        self.step = k

    def rec(self, name, t):
        self.events.append({"k": "rec", "name": name, "at": self.step, "t": info(t)})

    def err(self, e):
        msg = re.sub(r"\b(%s)\b" % "|".join(RENAMES), lambda m: RENAMES[m.group(1)], str(e).split("\n")[0])
        # mv/addmv's size mismatch: 1.13 "size mismatch, got 6, 6x4,3"; 2.x names the operands
        msg = re.sub(r"^size mismatch, got (\d+), (\d+)x(\d+),(\d+)$", r"size mismatch, got input (\1), mat (\2x\3), vec (\4)", msg)
        self.events.append({"k": "err", "at": self.step, "cls": type(e).__name__, "msg": msg})

    def final(self, name, t):
        g = t.grad if isinstance(t, torch.Tensor) else None
        self.events.append({"k": "final", "name": name, "t": info(g)})


def run(src):
    R = Recorder()
    try:
        exec(compile(src, "<difftest>", "exec"), {"torch": torch, "R": R})
    except Exception as e:  # a bug in the recorder or emitter, not in the program
        R.events.append({"k": "crash", "cls": type(e).__name__, "msg": str(e).split("\n")[0]})
    return R.events


def main():
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    cases = json.load(sys.stdin)
    out = [{"id": c["id"], "events": run(c["py"])} for c in cases]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
