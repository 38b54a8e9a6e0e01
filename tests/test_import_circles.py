"""No module pair imports each other, not even through an import inside a function: such a circle
makes the import order matter and hides which module is the lower layer."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "playground"


def _imports(path: Path) -> set[str]:
    """Every playground module ``path`` imports, at any depth, as a dotted name."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("playground")}


MODULES = {".".join(p.relative_to(ROOT.parent).with_suffix("").parts): p
           for p in ROOT.rglob("*.py") if p.name != "__init__.py"}


def _pairs():
    graph = {name: _imports(path) & set(MODULES) for name, path in MODULES.items()}
    return sorted((a, b) for a in graph for b in graph[a] if a < b and a in graph.get(b, ()))


def test_no_two_modules_import_each_other():
    assert _pairs() == []


@pytest.mark.parametrize("a, b", [("playground.data.catalog", "playground.data.dataset"),
                                  ("playground.ui.app", "playground.ui.selftest")])
def test_the_two_known_circles_stay_closed(a, b):
    assert (a, b) not in _pairs()
