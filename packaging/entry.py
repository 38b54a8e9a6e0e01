"""The bundle's entry script: PyInstaller runs it as a top-level script, so it imports the package
absolutely (playground/__main__.py uses relative imports and cannot be the script itself)."""
import multiprocessing
import sys

from playground.__main__ import main

if __name__ == "__main__":
    # the engine warm-up compiles half its kernels in a helper process (spawn): in a frozen
    # executable that process re-runs this script and must be routed to multiprocessing
    multiprocessing.freeze_support()
    sys.exit(main())
