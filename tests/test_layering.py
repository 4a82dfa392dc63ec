"""The package is layered one way: no module imports (at run time) one that imports it back,
and the input kind is told in one place."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "logscrub"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_imports(path: Path) -> set[str]:
    """logscrub modules `path` imports outside `if TYPE_CHECKING:` blocks (at any depth:
    an import inside a function still makes a cycle at run time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("logscrub"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("logscrub"))
    return found


def test_no_import_cycles_outside_the_package_root() -> None:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {
        name: {t for t in _runtime_imports(path) if t in modules and t != name and t != "logscrub"}
        for name, path in modules.items()
        if name != "logscrub"  # the package root re-exports the API: everything sits below it
    }

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            for nxt in graph.get(current, ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted(f"{a} <-> {b}" for a, targets in graph.items() for b in targets if reaches(b, a))
    assert not cycles


def test_bundles_do_not_reach_up_into_the_api() -> None:
    assert not {t for t in _runtime_imports(PACKAGE / "bundles.py") if t.startswith("logscrub.api")}


def test_input_kinds_are_told_in_one_place() -> None:
    tellers = [
        p.name
        for p in PACKAGE.rglob("*.py")
        if p.name not in ("sniff.py", "magic.py") and "capture_format(" in p.read_text(encoding="utf-8")
    ]
    assert tellers == []
