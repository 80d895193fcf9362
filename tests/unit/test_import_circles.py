"""No import circle anywhere in app/ or ui/, counting the imports made inside functions too: a circle hidden in a
function is still a circle (it only fails later, at the call). Read from each file's syntax tree, not by
importing, so the whole graph is seen at once; imports under `if TYPE_CHECKING:` never run and are left out."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "ui")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path, known: dict[str, Path]) -> dict[str, int]:
    """The modules of app/ and ui/ that `name` imports, each with the line of its first import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        if _type_checking_only(node, parents):
            continue
        for target in targets:
            # importing a.b.c runs a/__init__ and a/b/__init__ too; only non-empty ones can close a circle, and
            # never a module's own packages (they are always under way before their modules load)
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                candidate = ".".join(parts[:depth])
                if candidate in known and candidate != name and not name.startswith(candidate + ".") and (
                        depth == len(parts) or known[candidate].stat().st_size > 0):
                    found.setdefault(candidate, node.lineno)
    return found


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan), as one circle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_path_through(graph, group) for group in groups]


def _path_through(graph: dict[str, dict[str, int]], group: list[str]) -> list[str]:
    """A shortest circle from the group's first module back to itself, for the message."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v]):
                if w == start:
                    return paths[v] + [start]
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    return group


def describe(graph: dict[str, dict[str, int]], circle: list[str], known: dict[str, Path]) -> str:
    return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(circle, circle[1:])) + f" -> {circle[-1]}"


def graph_of(known: dict[str, Path]) -> dict[str, dict[str, int]]:
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_no_import_circle_in_app_or_ui():
    known = modules()
    graph = graph_of(known)
    found = [describe(graph, c, known) for c in circles(graph)]
    assert not found, "import circles:\n" + "\n".join(found)


def test_the_circle_finder_names_a_circle_hidden_in_a_function(tmp_path):
    """The check itself: two modules that import each other, one of them inside a function, are a circle."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "a.py").write_text("from app import b\n")
    (tmp_path / "app" / "b.py").write_text("def later():\n    from app.a import thing\n")
    (tmp_path / "app" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import a\n")
    known = {f"app.{m}": tmp_path / "app" / f"{m}.py" for m in "abc"}
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert circles(graph) == [["app.a", "app.b", "app.a"]]
    assert describe(graph, ["app.a", "app.b", "app.a"], known) == "app.a (line 1) -> app.b (line 2) -> app.a"
    assert graph["app.c"] == {}  # a TYPE_CHECKING import never runs


def test_arrows_run_down_only():
    """app/ never imports ui/; app/domain/ imports no model, database, service or file module; app/database/
    imports no service, file or printed sheet."""
    known = modules()
    graph = graph_of(known)
    wrong = []
    for module, targets in graph.items():
        for target, line in targets.items():
            if module.startswith("app") and target.startswith("ui"):
                wrong.append(f"{module}:{line} imports {target} (the core never imports the window)")
            if module.startswith("app.domain") and target.startswith(
                    ("app.database", "app.services", "app.files", "app.reports", "app.models")):
                wrong.append(f"{module}:{line} imports {target} (domain rules are pure)")
            if module.startswith("app.database") and target.startswith(("app.services", "app.files", "app.reports")):
                wrong.append(f"{module}:{line} imports {target} (the database serves the services, not the reverse)")
    assert not wrong, "\n".join(wrong)
