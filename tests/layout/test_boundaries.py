"""The package layout is the data flow: a stage never imports the build engine, and an
earlier stage never imports a later one. Checked on the import statements themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "extractor"

#: What each part of the package may import from ``extractor`` (besides itself).
#: The rule registry (``rules``) may be imported by every stage and imports at most the schema.
ALLOWED: dict[str, set[str]] = {
    "schema": set(),
    "gcpause": set(),
    "rules": {"schema"},
    "reuse": {"schema", "rules"},
    "read": {"schema", "gcpause", "rules"},
    "reconcile": {"schema", "gcpause", "rules", "reuse", "read"},
    "render": {"schema", "gcpause", "rules", "reuse", "read", "reconcile"},
    "diff": {"schema", "gcpause", "rules", "reuse", "read", "reconcile", "render"},
}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "extractor":
                found += [(node.lineno, f"extractor.{alias.name}") for alias in node.names]
            elif node.module.startswith("extractor."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if alias.name.startswith("extractor.")
            ]
    return found


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_imports_only_earlier_stages(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    part = relative.parts[0].removesuffix(".py")
    if part not in ALLOWED:
        return  # the engine, the CLI and the public API may import anything
    bad = [
        f"{relative}:{line} imports {module}"
        for line, module in _imports(path)
        if _part(module) not in ALLOWED[part] | {part, "__version__"}
    ]
    assert not bad, "\n".join(bad)


def test_every_part_of_the_package_is_classified() -> None:
    known = set(ALLOWED) | {"engine", "cli", "api", "__init__", "__main__", "rules", "metadata"}
    known |= {"replay", "pytest_plugin"}  # for test suites: they read a build's fixtures/
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _sources()}
    assert parts <= known, parts - known


def test_every_package_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (templates/ is mapped into the package); a package
    missing from the list would be missing from every non-editable install."""
    import tomllib

    listed = set(
        tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
            "setuptools"
        ]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
