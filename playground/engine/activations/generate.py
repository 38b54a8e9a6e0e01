"""Write ``_kernels.py``: the numba kernels that dispatch on an activation's code, generated from
the activation modules so no table of codes is kept by hand.

numba caches compiled kernels on disk and checks only the kernel's own source file, so a kernel
elsewhere that calls these (the fused MLP, the conv layout kernels) would keep a stale copy of the
dispatch; regenerating therefore also touches every engine file that imports ``_kernels``.

Run by hand with ``python -m playground.engine.activations.generate``; the package runs it by
itself when an activation file is added or removed.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "_kernels.py"
FLAGS = 'nogil=True, cache=True, error_model="numpy", fastmath=FAST'


def _loop(body: str, indent: str) -> list[str]:
    return [indent + line for line in body.splitlines()]


def _fingerprint(records) -> str:
    """A hash of every activation module's text: editing one rewrites _kernels.py, so numba
    recompiles the kernels that inlined its old g or g'."""
    digest = hashlib.sha1()
    for r in records:
        digest.update(Path(r.module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def source(records) -> str:
    """The text of _kernels.py for ``records`` (in code order)."""
    mods = [f"from . import {r.name} as _{r.name}" for r in records]
    lines = [
        '"""GENERATED from the activation modules by generate.py: do not edit by hand.',
        "",
        "Kernels that apply activation number ``code`` (its index in NAMES) to arrays. The row kernels",
        "serve the fused MLP and the convolution layout kernels (derivatives read from the output);",
        'the flat ``map_`` kernels serve every elementwise activation on the general path."""',
        f"# activation modules' fingerprint: {_fingerprint(records)}",
        "from numba import njit",
        "",
        *mods,
        "",
        "NAMES = (" + "".join(f"{r.name!r}, " for r in records) + ")",
        "#: enough freedom to vectorize, but NaN and infinity keep their meaning (divergence checks)",
        'FAST = {"nsz", "arcp", "contract", "reassoc"}',
        "",
    ]

    def branch(first: bool, code: int) -> str:
        return ("if" if first else "elif") + f" code == {code}:"

    def fn(header: str, doc: str, cases) -> None:
        lines.extend(["", f"@njit({FLAGS})", f"def {header}:", f'    """{doc}"""'])
        if all(body is None for _, body in cases):
            lines.append("    return")
        first = True
        for code, body in cases:
            if body is None:
                continue
            lines.append("    " + branch(first, code))
            lines.extend(_loop(body, "        "))
            first = False
        lines.append("")

    def scalar(r, arg):
        return f"_{r.name}.f({arg}, a)"

    def fwd_rows(r):
        if getattr(r.module, "NO_OP", False):
            return None
        if r.grad_from == "columns":
            return f"_{r.name}.columns_forward(block, nb)"
        if not r.kernel_ready:
            return None
        row = ("for j in range(block.shape[0]):\n    row = block[j]\n"
               "    for n in range(nb):\n        row[n] = {}")
        if hasattr(r.module, "f32"):
            return ("if block.itemsize == 4:\n" + _indent(row.format(f"_{r.name}.f32(row[n], a)"))
                    + "\nelse:\n" + _indent(row.format(scalar(r, "row[n]"))))
        return row.format(scalar(r, "row[n]"))

    def grad_rows(r):
        if getattr(r.module, "NO_OP", False):
            return None
        if r.grad_from == "columns":
            return f"_{r.name}.columns_grad(y, delta, nb)"
        if not r.kernel_ready:
            return None
        return ("for j in range(y.shape[0]):\n    for n in range(nb):\n"
                f"        delta[j, n] *= _{r.name}.df(y[j, n], y[j, n], a)")

    def act_row(r):
        if r.grad_from != "output":
            return None
        body = "for p in range(src.size):\n    dst[p] = {}"
        if hasattr(r.module, "f32"):
            return ("if src.itemsize == 4:\n" + _indent(body.format(f"_{r.name}.f32(src[p] + b, a)"))
                    + "\nelse:\n" + _indent(body.format(scalar(r, "src[p] + b"))))
        return body.format(scalar(r, "src[p] + b"))

    def grad_row(r):
        if r.grad_from != "output":
            return None
        return f"for p in range(dy.size):\n    dst[p] = dy[p] * _{r.name}.df(y[p], y[p], a)"

    def map_fwd(r):
        if not r.elementwise:
            return None
        return f"for i in range(x.size):\n    out[i] = {scalar(r, 'x[i]')}"

    def map_grad(r):
        if not r.elementwise:
            return None
        return f"for i in range(x.size):\n    out[i] = dy[i] * _{r.name}.df(x[i], y[i], a)"

    codes = list(enumerate(records))
    fn("forward_rows(code, a, block, nb)",
       "g in place over block (units, :nb) (softmax: down each column).",
       [(i, fwd_rows(r)) for i, r in codes])
    fn("grad_rows(code, a, y, delta, nb)",
       "delta (units, :nb) from dL/dy to dL/dz, g' read from the output y.",
       [(i, grad_rows(r)) for i, r in codes])
    fn("bias_act_row(code, a, src, b, dst)", "dst = g(src + b) over one row.",
       [(i, act_row(r)) for i, r in codes])
    fn("grad_row(code, a, dy, y, dst)", "dst = dy * g' over one row, g' read from the output y.",
       [(i, grad_row(r)) for i, r in codes])
    fn("map_forward(code, a, x, out)", "out = g(x) over flat arrays.",
       [(i, map_fwd(r)) for i, r in codes])
    fn("map_grad(code, a, x, y, dy, out)",
       "out = dy * g'(x or y) over flat arrays (x the input, y the output).",
       [(i, map_grad(r)) for i, r in codes])
    return "\n".join(lines).rstrip() + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def dependents() -> list[Path]:
    """Engine files whose numba kernels call into _kernels (their caches must be invalidated)."""
    engine = HERE.parent
    found = []
    for path in engine.rglob("*.py"):
        if path.parent == HERE:
            continue
        text = path.read_text(encoding="utf-8")
        if "import _kernels" in text or "activations._kernels" in text:
            found.append(path)
    return sorted(found)


def write(records) -> bool:
    """Rewrite _kernels.py if its text differs; returns True when it changed."""
    text = source(records)
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text:
        return False
    TARGET.write_text(text, encoding="utf-8")
    for path in dependents():
        os.utime(path)  # numba's cache stamp is the file's mtime: recompile the callers
    return True


if __name__ == "__main__":
    from . import RECORDS

    print("rewrote" if write(list(RECORDS.values())) else "unchanged", TARGET)
