"""numba's cache under the app's own cache folder: hit from any working directory, also as a frozen
bundle sees its modules (relative file names that do not exist), and older versions removed.

Each case runs in a fresh interpreter: numba picks a function's cache locator once, when the
decorator runs, and a test process must not keep a locator installed for the other tests.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground import __version__

pytest.importorskip("numba")
REPO = Path(__file__).resolve().parents[2]

KERNEL = '''from numba import njit


@njit(nogil=True, cache=True)
def scaled_sum(values, factor):
    total = 0.0
    for v in values:
        total += v * factor
    return total
'''

# Loads the kernel module either from a real file (a source checkout) or as a PyInstaller bundle
# does: sys.frozen set and the code compiled under a relative name that does not exist on disk.
RUNNER = '''import json, sys, types
sys.path.insert(0, {repo!r})
from playground import numba_cache
numba_cache.install()
numba_cache.install()  # idempotent
import numpy as np
if {frozen!r}:
    sys.frozen = True
    module = types.ModuleType("kernels_under_test")
    sys.modules[module.__name__] = module
    exec(compile({source!r}, "playground/kernels_under_test.py", "exec"), module.__dict__)
else:
    sys.path.insert(0, {folder!r})
    import kernels_under_test as module
value = module.scaled_sum(np.arange(4.0), 2.0)
from numba.core import caching
ours = [c for c in caching.CacheImpl._locator_classes if c.__name__ == "PlaygroundCacheLocator"]
print(json.dumps({{"value": value, "hits": sum(module.scaled_sum.stats.cache_hits.values()),
                  "locators": len(ours)}}))
'''


def run_kernel(cwd: Path, cache: Path, folder: Path, frozen: bool) -> dict:
    script = cwd / "run_kernel.py"
    script.write_text(RUNNER.format(repo=str(REPO), frozen=frozen, source=KERNEL,
                                    folder=str(folder)))
    env = {**os.environ, "PLAYGROUND_CACHE_DIR": str(cache)}
    env.pop("NUMBA_CACHE_DIR", None)
    env.pop("NUMBA_CACHE_LOCATOR_CLASSES", None)
    result = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def places(tmp_path):
    cache, first, second, modules = (tmp_path / n for n in ("cache", "first", "second", "mods"))
    for folder in (first, second, modules):
        folder.mkdir()
    (modules / "kernels_under_test.py").write_text(KERNEL)
    return cache, first, second, modules


@pytest.mark.parametrize("frozen", [False, True], ids=["source", "frozen"])
def test_cache_hit_from_a_second_working_directory(places, frozen):
    cache, first, second, modules = places
    cold = run_kernel(first, cache, modules, frozen)
    warm = run_kernel(second, cache, modules, frozen)
    assert cold["value"] == warm["value"] == 12.0
    assert cold["hits"] == 0 and warm["hits"] == 1
    assert warm["locators"] == 1  # installing twice registers the locator once
    index_files = list(cache.rglob("*.nbi"))
    assert index_files and all(
        p.is_relative_to(cache / "numba" / __version__) for p in index_files)
    # nothing lands beside the module or in either working directory
    for folder in (first, second, modules):
        assert not list(folder.rglob("*.nbi"))


def test_older_versions_are_removed(places):
    cache, first, _, modules = places
    old = cache / "numba" / "0.0.1"
    (old / "kernels_x").mkdir(parents=True)
    (old / ".playground-numba-cache").touch()
    (old / "kernels_x" / "f.nbi").write_bytes(b"stale")
    foreign = cache / "numba" / "not-ours"  # no marker: never ours to delete
    foreign.mkdir()
    run_kernel(first, cache, modules, frozen=False)
    assert not old.exists()
    assert foreign.is_dir()
    assert (cache / "numba" / __version__ / ".playground-numba-cache").is_file()


def test_default_folder_follows_the_platform(monkeypatch, tmp_path):
    from playground import numba_cache
    monkeypatch.delenv("PLAYGROUND_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    assert numba_cache.numba_cache_dir() == tmp_path / "Playground" / "numba" / __version__
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert numba_cache.cache_root() == tmp_path / "Local" / "Playground" / "cache"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert numba_cache.cache_root() == Path.home() / "Library" / "Caches" / "Playground"
    monkeypatch.setenv("PLAYGROUND_CACHE_DIR", str(tmp_path / "mine"))
    assert numba_cache.numba_cache_dir() == tmp_path / "mine" / "numba" / __version__
