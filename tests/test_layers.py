"""The generator's packages follow the data: source <- rules <- model <- changes <- site <- commands.

Read from the code with `ast`, so a new import that runs against the flow, or closes a cycle, fails
here with the modules named. Every import counts: at the top of a module, inside a function, or
only for the type checker.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# A package may import the ones before it, never the ones after.
LAYERS = ("source", "rules", "model", "changes", "site", "commands")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in known else base)
    return {t for t in targets if t in known and t != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer() -> None:
    # The package's own face (`generator`, `python -m generator`) is the only code outside them.
    outside = {m for m in _graph() if _layer(m) is None}
    assert outside == {"generator", "generator.__main__"}


def test_no_import_runs_against_the_flow() -> None:
    upward = sorted(f"{module} imports {target}" for module, targets in _graph().items()
                    for target in targets
                    if (low := _layer(module)) is not None and (high := _layer(target)) is not None and high > low)
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    cycles: list[list[str]] = []

    def walk(start: str) -> None:
        # Iterative depth-first search, so a long chain of imports cannot exhaust the stack.
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            module, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[module] = 2
                stack.pop()
                path.pop()
            elif state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append((target, iter(sorted(graph[target]))))

    for module in sorted(graph):
        if module not in state:
            walk(module)
    assert cycles == []


def test_modules_are_short_and_say_what_they_are_for() -> None:
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
    undocumented = [name for name, path in _modules().items()
                    if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert undocumented == []


def _defined(path: Path) -> set[str]:
    """The names a module defines at its top level (not the ones it imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def test_every_name_is_imported_from_its_home() -> None:
    # No module passes on a name it imported: each is imported from where it is defined, so moving
    # code moves its imports with it and no module stands in for another.
    modules = _modules()
    defined = {name: _defined(path) for name, path in modules.items()}
    borrowed = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
                borrowed.extend(f"{name} imports {alias.name} from {base}" for alias in node.names
                                if base in defined and base != "generator" and f"{base}.{alias.name}" not in modules
                                and alias.name not in defined[base])
    assert borrowed == []


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    # The reading itself, on two made-up modules: a relative import one level up resolves to its target.
    source = tmp_path / "generator" / "source"
    source.mkdir(parents=True)
    (source / "a.py").write_text("from ..site import page\nfrom . import b\n", encoding="utf-8")
    known = {"generator.source.a", "generator.source.b", "generator.site.page"}
    assert _imports("generator.source.a", source / "a.py", known) == {"generator.site.page", "generator.source.b"}
    assert _layer("generator.site.page") > _layer("generator.source.a")
