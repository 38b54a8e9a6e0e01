"""``python -m playground.gallery OUTDIR``: a screenshot of every offline example at 1280x800 and
1920x1080, after a few training steps so every view has something to show.

The pictures are for looking at: is anything clipped, squashed, blocky or ambiguous? The layout
test (tests/ui/test_layout_fit.py) checks the same windows by measuring their widgets.
Examples whose data must be downloaded first are left out.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SIZES = ((1280, 800), (1920, 1080))
STEPS = 60              #: training steps before a picture: enough for maps, histograms and curves


def offline_examples() -> list[str]:
    """The examples whose dataset is on this computer without a download (in menu order)."""
    from .data import list_datasets
    from .project.examples import list_examples, load_example
    remote = {info.name for info in list_datasets() if info.needs_download}
    return [name for name, *_ in list_examples()
            if load_example(name).dataset.get("name") not in remote]


def open_window(size: tuple[int, int], folder: str):
    """A main window of ``size`` pixels with a fresh layout and throw-away settings, shown, with
    the engine warm. Returns the window (the caller closes it)."""
    from .ui.app import application, scratch_settings, wait_until
    from .ui.main_window import MainWindow
    application()
    window = MainWindow(settings=scratch_settings(folder))
    window.resize(*size)
    window.show()
    if not wait_until(lambda: window.ready):
        raise RuntimeError("the engine did not get ready")
    return window


def show_example(window, name: str, steps: int = STEPS) -> None:
    """Open example ``name`` in ``window`` as the Examples menu does, train ``steps`` steps and
    draw the result (predictions and autoencoder codes included)."""
    from PySide6.QtWidgets import QApplication
    from .project.examples import load_example
    from .ui.app import train_synchronously, wait_until
    window.load_project(load_example(name))
    wait_until(lambda: window.ready, timeout=60)
    for _ in range(3):                  # the docks' arrangement settles over a few event turns
        QApplication.processEvents()
    train_synchronously(window, steps)
    window.pump.start()
    for _ in range(3):
        QApplication.processEvents()


def tabbed_docks(window) -> list:
    """The open docks that sit behind another dock's tab (their view is not on screen now)."""
    return [dock for dock in window.docks.values()
            if dock.isVisible() and not dock.isFloating() and dock.visibleRegion().isEmpty()]


def raise_dock(window, dock, evaluate: bool = True) -> None:
    """Bring ``dock``'s tab to the front and let it draw what it missed (with ``evaluate``, wait
    for the predictions or autoencoder codes it asks the worker for)."""
    from PySide6.QtWidgets import QApplication
    dock.raise_()
    for _ in range(3):
        QApplication.processEvents()
    if evaluate and window.parts.image_docks.wait_for_evaluation(60):
        QApplication.processEvents()


def write_gallery(outdir: Path, names: list[str] | None = None, steps: int = STEPS,
                  tabs: bool = True) -> list[Path]:
    """Write ``<example>_<W>x<H>.png`` for every offline example and both sizes, and with
    ``tabs`` ``<example>_<W>x<H>_<dock>.png`` with each right-hand dock behind a tab raised in
    turn; returns the paths."""
    from .ui.app import scratch_settings  # noqa: F401  (imports Qt before any window)
    outdir.mkdir(parents=True, exist_ok=True)
    names = names or offline_examples()
    written = []
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="playground-gallery-") as folder:
            window = open_window(size, folder)
            try:
                for name in names:
                    show_example(window, name, steps)
                    path = outdir / f"{name}_{size[0]}x{size[1]}.png"
                    if not window.grab().save(str(path)):
                        raise RuntimeError(f"could not write {path}")
                    written.append(path)
                    print(path, flush=True)
                    if tabs:
                        written += _tab_shots(window, outdir, f"{name}_{size[0]}x{size[1]}")
            finally:
                window.files.mark_clean()
                window.close()
                window.shutdown()
    return written


def _tab_shots(window, outdir: Path, stem: str) -> list[Path]:
    """A picture with each tabbed-away view of the right-hand side in front."""
    from PySide6.QtCore import Qt
    written = []
    for dock in tabbed_docks(window):
        if window.dockWidgetArea(dock) != Qt.RightDockWidgetArea:
            continue
        front = [d for d in window.tabifiedDockWidgets(dock) if not d.visibleRegion().isEmpty()]
        raise_dock(window, dock)
        path = outdir / f"{stem}_{dock.objectName().removeprefix('dock_')}.png"
        if window.grab().save(str(path)):
            written.append(path)
            print(path, flush=True)
        for other in front:                 # as it was, for the next example
            raise_dock(window, other)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.gallery",
                                     description="Screenshots of every offline example at "
                                                 "1280x800 and 1920x1080.")
    parser.add_argument("outdir", help="the folder the PNG files go to")
    parser.add_argument("--example", action="append", help="only this example (repeatable)")
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps before a picture")
    parser.add_argument("--no-tabs", action="store_true",
                        help="only the window as it opens, not each tabbed view in front")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        write_gallery(Path(args.outdir), args.example, args.steps, tabs=not args.no_tabs)
    except (RuntimeError, OSError) as exc:
        print(f"playground.gallery: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
