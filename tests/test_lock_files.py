"""The two lock files (issue 18): requirements.lock is the production set (what `make run` and a
server install), requirements-test.lock adds the test and development extras; every pin has its
hashes, the two agree on every version, no test tool is in production, and every package the
code of galeri/ imports is in the production set (a runtime import of a test-only package would
break `make run` on a fresh clone, as pypdf once did)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\]+)")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def pins(path: Path) -> dict:
    """name -> (version, number of hashes)"""
    found, current = {}, None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = normal(match.group(1))
            found[current] = [match.group(2), 0]
        elif current and line.strip().startswith("--hash=sha256:"):
            found[current][1] += 1
    return {name: tuple(value) for name, value in found.items()}


PRODUCTION = pins(ROOT / "requirements.lock")
FULL = pins(ROOT / "requirements-test.lock")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_pin_has_hashes_and_the_two_locks_agree():
    assert PRODUCTION and FULL
    assert all(hashes >= 1 for _version, hashes in [*PRODUCTION.values(), *FULL.values()])
    assert set(PRODUCTION) <= set(FULL)
    assert {name: PRODUCTION[name][0] for name in PRODUCTION} == {name: FULL[name][0] for name in PRODUCTION}


def test_no_test_or_development_tool_is_in_production():
    extras = {normal(re.split(r"[<>=!~ ]", spec)[0]) for spec in PYPROJECT["project"]["optional-dependencies"]["test"]}
    assert extras <= set(FULL)
    assert not extras & set(PRODUCTION), extras & set(PRODUCTION)
    assert {"pytest", "hypothesis", "playwright", "ruff"}.isdisjoint(PRODUCTION)


def _imports_of(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_everything_the_code_imports_is_in_the_production_set():
    distributions = packages_distributions()
    files = [*ROOT.joinpath("galeri").rglob("*.py"), ROOT / "manage.py", ROOT / "gunicorn.conf.py"]
    missing = {}
    for path in files:
        for module in set(_imports_of(path)):
            if module in sys.stdlib_module_names or module == "galeri":
                continue
            names = {normal(d) for d in distributions.get(module, [])}
            if not names & set(PRODUCTION):
                missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert not missing, f"imported by galeri/ but not in requirements.lock: {missing}"
