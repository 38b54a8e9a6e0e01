"""The bundle's entry script: PyInstaller runs it as a top-level script, so it imports the package
absolutely (playground/__main__.py uses relative imports and cannot be the script itself)."""
import sys

from playground.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
