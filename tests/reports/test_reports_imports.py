"""The report modules import one another without a cycle, counting imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import motcua.reports

PACKAGE = "motcua.reports"
ROOT = Path(motcua.reports.__file__).parent


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(ROOT.glob("*.py")):
        name = f"{PACKAGE}.{path.stem}"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE + "."):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith(PACKAGE + "."))
        graph[name] = found
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_among_report_modules() -> None:
    graph = _graph()
    assert f"{PACKAGE}.cache" in graph and f"{PACKAGE}.timeline" in graph
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_timeline_does_not_import_cache() -> None:
    assert f"{PACKAGE}.cache" not in _graph()[f"{PACKAGE}.timeline"]
