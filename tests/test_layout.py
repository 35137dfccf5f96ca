"""The package's rooms show the flow of data, and imports only go down it.

base (contract, texts, errors, fmt, files, resources, version) ← reading ← computing ←
rendering ← commands. A module may import from its own room and the rooms before it,
never from a later one (lazy imports inside functions count too), and module-level
imports make no cycle. The package's ``__init__`` is the public surface and may name
anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "grantstats"
ROOMS = ("reading", "computing", "rendering", "commands")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _rank(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ROOMS:
        return 1 + ROOMS.index(parts[1])
    if module == "grantstats.__main__":
        return len(ROOMS)
    return 0


def _imports(path: Path, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    """``(line, module)`` of every grantstats import in ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("grantstats")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("grantstats"):
                continue
            for alias in node.names:  # `from grantstats.reading import sandbox` names a module
                candidate = f"{base}.{alias.name}"
                is_module = (SRC.parent / Path(*candidate.split("."))).with_suffix(".py").exists()
                found.append((node.lineno, candidate if is_module else base))
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if p != SRC / "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_import_goes_back_up_the_flow(path):
    own = _rank(_module(path))
    upward = [f"line {line}: {module}" for line, module in _imports(path)
              if _rank(module) > own]
    assert upward == [], f"{_module(path)} imports from a later room"


@pytest.mark.parametrize("top_level_only", [True, False], ids=["module level", "lazy too"])
def test_imports_make_no_cycle(top_level_only):
    graph = {_module(p): {m for _l, m in _imports(p, top_level_only=top_level_only)}
             for p in MODULES}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        if module in trail:
            pytest.fail(" → ".join((*trail[trail.index(module):], module)))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_every_module_lives_in_a_room_or_is_a_known_base_module():
    base = {"__init__", "__main__", "contract", "texts", "errors", "fmt", "files", "resources",
            "version"}
    strays = [str(p.relative_to(SRC)) for p in SRC.glob("*.py") if p.stem not in base]
    assert strays == []
    assert {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()} \
        == set(ROOMS)
