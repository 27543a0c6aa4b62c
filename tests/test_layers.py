"""The package's folders are its layers: every import goes downward and nothing imports in a circle.

Imports are read with :mod:`ast` from every module, including imports inside functions and
under ``TYPE_CHECKING``: a circle hidden by a lazy import is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "finsam_opt"

LAYERS: dict[str, int] = {
    "finsam_opt.errors": 0,
    "finsam_opt._compat": 0,
    "finsam_opt.language": 0,
    "finsam_opt.domain": 1,
    "finsam_opt.engine": 2,
    "finsam_opt.io": 3,
    "finsam_opt.datasets": 4,
    "finsam_opt.year": 5,
    "finsam_opt.analysis": 6,
    "finsam_opt.cli": 7,
    "finsam_opt.__main__": 7,
    "finsam_opt": 8,  # the public API re-exports every layer
}
"""The layer of each folder (or root module); a module may import only its own layer or lower."""

ROOT_FILES = {"__init__.py", "__main__.py", "_compat.py", "errors.py", "py.typed"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The layer of the longest folder prefix that names ``module``."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def imported_modules(module: str, path: Path) -> set[str]:
    """The package modules that ``module`` imports, wherever in the file the import stands."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from finsam_opt.x import y` imports the module x.y when there is one.
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("finsam_opt") and name != module:
                found.add(name)
    return found


GRAPH = {module: imported_modules(module, path) for module, path in MODULES.items()}


def test_every_import_goes_downward() -> None:
    upward = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_circles() -> None:
    # Tarjan's strongly connected components: any component of two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert not circles, f"import circles: {circles}"


def test_the_package_root_holds_only_the_layer_folders() -> None:
    files = {p.name for p in PACKAGE.iterdir() if p.is_file()}
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert files <= ROOT_FILES, f"loose modules at the root: {files - ROOT_FILES}"
    named = {name.split(".")[1] for name in LAYERS if name.count(".") == 1}
    assert folders <= named, f"folders in no layer: {folders - named}"


def test_the_checker_sees_a_lazy_upward_import(tmp_path: Path) -> None:
    """The walk finds an import inside a function, as a circle hidden by a lazy import."""
    source = tmp_path / "result.py"
    source.write_text("def f():\n    from finsam_opt.analysis.diagnostics import diagnose\n")
    assert imported_modules("finsam_opt.engine.result", source) == {
        "finsam_opt.analysis.diagnostics"
    }
