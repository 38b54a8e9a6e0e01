"""Where numba keeps its compiled kernels: the user's cache folder, one subfolder per app version.

Why our own cache locator (DESIGN.md section 6): inside a PyInstaller bundle the modules live in
an archive, so numba sees a relative source path such as ``playground/engine/activations.py``.
Its in-tree locator cannot write there, NUMBA_CACHE_DIR's locator gives up because that path does
not exist, and the user-wide locator hashes ``os.path.abspath(path)``, which depends on the working
directory: every start from another folder recompiled everything (~17 s). This locator keys the
cache on the module's name instead, under

    $PLAYGROUND_CACHE_DIR/numba/<version>      (if set), else the platform's cache folder:
    Linux   $XDG_CACHE_HOME/Playground/numba/<version>   (default ~/.cache)
    macOS   ~/Library/Caches/Playground/numba/<version>
    Windows %LOCALAPPDATA%\\Playground\\cache\\numba\\<version>

and removes the folders of older versions, which can never be used again. ``install()`` must run
before any module with ``@njit(cache=True)`` functions is imported: numba picks a function's
locator when the decorator runs. The source stamp stays numba's (a hash of the source file, or of
the bundle's executable when frozen), so an edited kernel is still recompiled.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

from . import __version__

APP_NAME = "Playground"
#: a file in each version folder, so cleaning up never touches a folder we did not make
MARKER = ".playground-numba-cache"

_installed = False


def cache_root() -> Path:
    """The app's cache folder (PLAYGROUND_CACHE_DIR overrides the platform's default)."""
    override = os.environ.get("PLAYGROUND_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / APP_NAME / "cache"  # as project/paths.py spells it
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg if xdg and os.path.isabs(xdg) else Path.home() / ".cache") / APP_NAME


def numba_cache_dir(version: str = __version__) -> Path:
    """The folder numba's index and object files go into for this app version."""
    return cache_root() / "numba" / version


def remove_old_versions(current: Path) -> list[Path]:
    """Delete sibling version folders that carry our marker; returns what was removed."""
    removed = []
    if not current.parent.is_dir():
        return removed
    for folder in current.parent.iterdir():
        if folder != current and folder.is_dir() and (folder / MARKER).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _locator_class(base: Path):
    """Build the locator class (numba is imported only here, so importing this module is cheap)."""
    from numba.core import caching

    class PlaygroundCacheLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
        """Caches every function under ``base``/<module name>[_<hash of its file's folder>].

        Keyed on the module name, never on the working directory; a source checkout adds a hash of
        the module's absolute folder so two checkouts of one version do not evict each other.
        """

        def __init__(self, py_func, py_file):
            self._py_file = py_file
            self._lineno = py_func.__code__.co_firstlineno
            subdir = str(py_func.__module__ or Path(py_file).stem)
            if os.path.isabs(py_file) and not getattr(sys, "frozen", False):
                folder = os.path.dirname(py_file)
                subdir += "_" + hashlib.sha1(folder.encode()).hexdigest()[:12]
            self._cache_path = str(base / subdir)

        def get_cache_path(self):
            return self._cache_path

        @classmethod
        def from_function(cls, py_func, py_file):
            frozen = getattr(sys, "frozen", False)
            if not frozen and not os.path.isfile(py_file):
                return None  # "<string>", notebooks...: leave them to numba's own locators
            locator = cls(py_func, py_file)
            try:
                locator.ensure_cache_path()
            except OSError:
                return None  # not writable: numba falls back to its other locators
            return locator

    return PlaygroundCacheLocator


def install() -> Path:
    """Make numba cache under ``numba_cache_dir()`` and clean up older versions. Idempotent.

    Returns the cache folder. Call it before importing any module that defines cached kernels.
    """
    global _installed
    base = numba_cache_dir()
    if _installed:
        return base
    from numba.core import caching

    try:
        base.mkdir(parents=True, exist_ok=True)
        (base / MARKER).touch()
        remove_old_versions(base)
    except OSError:
        return base  # a read-only home: numba's own locators still work, just without a cache
    # numba 0.68 names it CacheImpl (_CacheImpl before 0.61); NUMBA_CACHE_LOCATOR_CLASSES would
    # replace the whole list from the environment at numba's import, so we insert into the list.
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl")
    impl._locator_classes.insert(0, _locator_class(base))
    _installed = True
    return base
