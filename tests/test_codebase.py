"""The code itself: typed (mypy --strict over all of ``app/``), linted (ruff), no import
cycles between the modules of ``app/``, the layers held, and its shape: no module over about
500 lines, no function over cyclomatic complexity 15 (radon) without a reason.

mypy, ruff and radon are in the ``test`` extra, so the README's test command checks all this;
run from a checkout without them, the tests that need them skip and say so.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it is in the 'test' extra)")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )


@pytest.mark.slow
def test_app_is_mypy_strict_clean() -> None:
    # files and strictness come from [tool.mypy] in pyproject.toml; the incremental cache
    # (.mypy_cache in the checkout) makes a second run take a couple of seconds
    done = _run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_app_and_tests_are_ruff_clean() -> None:
    done = _run_tool("ruff", "check", "app", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def _imports(module: str, tree: ast.Module, is_package: bool) -> set[str]:
    """Every ``app`` module ``module`` imports, at any depth, except under ``TYPE_CHECKING``."""
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _import_graph() -> dict[str, set[str]]:
    """``app`` module -> the ``app`` modules it imports (a name resolves to its module)."""
    files: dict[str, Path] = {}
    for path in (REPO / "app").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def module_of(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {module_of(n) for n in _imports(module, tree, path.name == "__init__.py")}
        # a module's own packages are imported before it, whatever it says: not an edge
        graph[module] = {
            t for t in targets if t is not None and not (module + ".").startswith(t + ".")
        }
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_in_app() -> None:
    # function-level imports count too (a lazy import only hides a cycle); imports under
    # `if TYPE_CHECKING:` do not, as they never run
    graph = _import_graph()
    assert "app.core.publish.pipeline" in graph["app.core.publish"]
    assert _cycles(graph) == []


def test_the_layers_hold() -> None:
    """Only the GUI package imports Qt (the core and the tools never, even lazily); nothing
    in app/ imports the tests."""
    wrong: list[str] = []
    for path in sorted((REPO / "app").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name in _imports(module, tree, path.name == "__init__.py"):
            top = name.partition(".")[0]
            if top == "tests" or (not module.startswith("app.gui") and top == "PySide6"):
                wrong.append(f"{module} imports {name}")
    assert sorted(set(wrong)) == []


# -------------------------------------------------------------------- shape

MAX_MODULE_LINES = 500
MAX_COMPLEXITY = 15
#: Modules allowed over MAX_MODULE_LINES, each with the reason.
LONG_MODULES: dict[str, str] = {}
#: Functions over MAX_COMPLEXITY allowed without a comment, by "path:name": none; each one
#: says why at its head in a ``# complexity:`` comment, or is split.
KNOWN_COMPLEX: dict[str, str] = {}


def _app_modules() -> list[Path]:
    return sorted((REPO / "app").rglob("*.py"))


def test_no_module_in_app_is_over_500_lines() -> None:
    long = {
        path.relative_to(REPO).as_posix(): lines
        for path in _app_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    unexplained = {rel: n for rel, n in long.items() if rel not in LONG_MODULES}
    assert unexplained == {}, f"split these modules (or allow-list one with a reason): {long}"


def _explained(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A ``# complexity:`` comment in the comments just above the function (or its
    decorators), or in its head: from ``def`` to its first statement after the docstring."""
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    above = first - 1
    while above >= 1 and lines[above - 1].lstrip().startswith("#"):
        above -= 1
    body = node.body
    has_doc = (
        isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    )
    head_end = body[1].lineno if has_doc and len(body) > 1 else body[0].lineno
    return any("# complexity:" in line for line in lines[above : head_end])


def test_no_function_over_complexity_15_without_a_reason() -> None:
    if importlib.util.find_spec("radon") is None:
        pytest.skip("radon is not installed (it is in the 'test' extra)")
    from radon.complexity import cc_visit
    from radon.visitors import Class

    unexplained: list[str] = []
    for path in _app_modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        nodes = {
            node.lineno: node
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        blocks = list(cc_visit(text))
        while blocks:
            block = blocks.pop()
            if isinstance(block, Class):
                blocks.extend(block.methods)
                continue
            blocks.extend(block.closures)
            rel = path.relative_to(REPO).as_posix()
            if (
                block.complexity > MAX_COMPLEXITY
                and f"{rel}:{block.name}" not in KNOWN_COMPLEX
                and not _explained(lines, nodes[block.lineno])
            ):
                unexplained.append(f"{rel}:{block.lineno} {block.name} ({block.complexity})")
    assert sorted(set(unexplained)) == [], (
        f"functions over complexity {MAX_COMPLEXITY}: split them, or say why not in a "
        "'# complexity: ...' comment at their head"
    )
