"""``--threads N`` for the benchmark: numba's, the BLAS's and PyTorch's thread counts, set alike.

A ratio measured with PyTorch on two OpenMP threads against our mostly single-threaded kernels says
little per core, and under load it swings most; ``--threads 1`` compares one core with one core.
The BLAS reads its count from the environment when it loads (before numpy is imported: see the top
of ``bench.py``); OpenBLAS is also set and read directly through its own functions once loaded.
"""
from __future__ import annotations

import ctypes
import os

BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_GET = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
        "openblas_get_num_threads")
_SET = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
        "openblas_set_num_threads")


def threads_in_argv(argv: list[str]) -> int | None:
    """N from ``--threads N`` or ``--threads=N``; None when absent or not a whole number above 0
    (argparse then says what is wrong)."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--threads" and i + 1 < len(argv) else \
            arg.split("=", 1)[1] if arg.startswith("--threads=") else None
        if value is not None:
            return int(value) if value.isdigit() and int(value) > 0 else None
    return None


def set_blas_env(n: int) -> None:
    """Tell every BLAS and OpenMP runtime loaded from now on to use ``n`` threads."""
    for name in BLAS_ENV:
        os.environ[name] = str(n)


def _openblas() -> tuple | None:
    """(get, set) of the OpenBLAS this process loaded (numpy's), or None when there is none."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        get = next((getattr(lib, n) for n in _GET if hasattr(lib, n)), None)
        put = next((getattr(lib, n) for n in _SET if hasattr(lib, n)), None)
        if get is not None and put is not None:
            get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
            return get, put
    return None


def set_threads(n: int, torch_too: bool) -> None:
    """numba, the BLAS and (with ``torch_too``) PyTorch on ``n`` threads each."""
    set_blas_env(n)
    import numpy  # noqa: F401 - loads the BLAS, so it can be found below
    blas = _openblas()
    if blas is not None:
        blas[1](n)
    import numba
    try:
        numba.set_num_threads(n)
    except ValueError:             # more than numba's NUMBA_NUM_THREADS: it stays at its maximum
        pass
    if torch_too:
        import torch
        torch.set_num_threads(n)
        try:
            torch.set_num_interop_threads(n)
        except RuntimeError:       # already fixed in this process (a second call, or work started)
            pass


def thread_counts(torch_too: bool) -> dict:
    """The thread counts in force: {"numba", "blas", and with ``torch_too`` "torch",
    "torch_interop"}; None where the library does not say."""
    import numba
    blas = _openblas()
    counts = {"numba": numba.get_num_threads(), "blas": blas[0]() if blas else None}
    if torch_too:
        import torch
        counts.update(torch=torch.get_num_threads(), torch_interop=torch.get_num_interop_threads())
    return counts


def describe(counts: dict) -> str:
    """"threads: numba 1, BLAS 1, PyTorch 1 (inter-op 1)" for the table's header."""
    def n(key):
        return "unknown" if counts.get(key) is None else str(counts[key])
    text = f"threads: numba {n('numba')}, BLAS {n('blas')}"
    if "torch" in counts:
        text += f", PyTorch {n('torch')} (inter-op {n('torch_interop')})"
    return text
