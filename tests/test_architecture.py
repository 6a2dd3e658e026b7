"""The shape the code keeps (docs/architecture.md), read from the import statements of every module: no import
circles, the engine imports a scheme only in engine/registry.py, and every scheme's rules/ stay pure."""
import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "disbursement"
# What pure rules may use: arithmetic, dates, plain data; never a database, a clock, files or the network.
PURE = {"calendar", "dataclasses", "datetime", "decimal", "fractions", "functools", "itertools", "math", "statistics", "typing", "collections",
        "dateutil", "dateutil.relativedelta", "disbursement.money", "disbursement.indexation",
        "disbursement.cases"}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Modules imported at run time (imports under `if TYPE_CHECKING:` are for the type checker only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found: set[str] = set()

    def visit(node) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_no_import_circles():
    graph = _graph()
    done: set[str] = set()
    stack: list[str] = []

    def walk(module: str) -> None:
        if module in stack:
            raise AssertionError("import circle: " + " -> ".join(stack[stack.index(module):] + [module]))
        if module in done:
            return
        stack.append(module)
        for target in sorted(graph[module]):
            walk(target)
        stack.pop()
        done.add(module)

    for module in sorted(graph):
        walk(module)


def test_the_engine_imports_a_scheme_only_in_the_registry():
    offenders = {module: sorted(m for m in targets if m.startswith("disbursement.schemes."))
                 for module, targets in _graph().items()
                 if not module.startswith("disbursement.schemes") and module != "disbursement.engine.registry"}
    assert {module: targets for module, targets in offenders.items() if targets} == {}


def test_every_schemes_rules_are_pure():
    rules = [p for p in PACKAGE.glob("schemes/*/rules/*.py")]
    assert {p.parent.parent.name for p in rules} == {"inclusion", "temporary"}
    for path in rules:
        scheme_rules = _module(path).rpartition(".")[0]
        impure = sorted(m for m in _imports(path) if m not in PURE and not m.startswith(scheme_rules)
                        and not any(m.startswith(f"{allowed}.") for allowed in PURE))
        assert impure == [], f"{path.relative_to(ROOT)} imports {impure}"
