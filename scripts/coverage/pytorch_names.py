"""The public names of PyTorch's namespaces that docs/coverage.md compares the facade with.

Run with Debian's PyTorch (/usr/bin/python3 scripts/coverage/pytorch_names.py): writes
pytorch_names.json beside this file. A name counts when it does not start with `_`, is callable
(a function or a class) and is not a submodule or a typing helper, nor a class of the C++ core
(JIT IR, type objects) or a legacy typed tensor/storage class (`FloatTensor`); Tensor methods are the
callable attributes of torch.Tensor."""
import inspect
import json

import torch
import torch.nn.functional as F

SKIP_MODULES = ("typing", "warnings", "builtins", "collections", "enum", "abc", "functools")


def public(ns):
    out = []
    for name in dir(ns):
        if name.startswith("_"):
            continue
        try:
            v = getattr(ns, name)
        except Exception:
            continue
        if inspect.ismodule(v) or not callable(v):
            continue
        mod = getattr(v, "__module__", "") or ""
        if mod.split(".")[0] in SKIP_MODULES:
            continue
        # classes of the C++ core (JIT IR, type objects) and the legacy typed tensor/storage classes
        if inspect.isclass(v) and (mod.startswith("torch._C") or name.endswith(("Storage", "Tensor")) and name != "Tensor"):
            continue
        out.append(name)
    return sorted(out)


names = {
    "torch": public(torch),
    "torch.Tensor": public(torch.Tensor),
    "torch.nn": public(torch.nn),
    "torch.nn.functional": public(F),
    "torch.nn.init": public(torch.nn.init),
    "torch.optim": public(torch.optim),
    "torch.optim.lr_scheduler": public(torch.optim.lr_scheduler),
    "torch.autograd": public(torch.autograd),
    "torch.linalg": public(torch.linalg),
    "torch.fft": public(torch.fft),
    "torch.distributions": public(torch.distributions),
    "torch.utils.data": public(torch.utils.data),
}
with open(__file__.replace(".py", ".json"), "w") as f:
    json.dump({"pytorch": torch.__version__.split("+")[0], "names": names}, f, indent=0, sort_keys=True)
    f.write("\n")
