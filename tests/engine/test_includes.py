"""Include files are inputs, not pages: editing one rebuilds exactly the pages that use it."""

from __future__ import annotations

from pathlib import Path

from extractor import api
from extractor.read.corpus import discover

INCLUDE = "../includes/permissions/{name}-permissions.md"
TABLE = (
    "|Permission type|Least privileged permissions|Higher privileged permissions|\n"
    "|:---|:---|:---|\n|Application| {scope} | Not available. |\n"
)


def api_page(name: str, include: str | None) -> str:
    permissions = f"[!INCLUDE [permissions-table]({include})]" if include else "None."
    return (
        f"---\ntitle: Get {name}\ndoc_type: apiPageType\n---\n\n# Get {name}\n\nGet a {name}.\n\n"
        f"## Permissions\n\n{permissions}\n\n## HTTP request\n\n```http\nGET /{name}s/{{id}}\n```\n"
    )


def docs_tree(root: Path) -> Path:
    api_dir = root / "v1.0" / "api"
    permissions = root / "v1.0" / "includes" / "permissions"
    api_dir.mkdir(parents=True)
    permissions.mkdir(parents=True)
    for name in ("alpha", "beta", "gamma"):
        (permissions / f"{name}-permissions.md").write_text(TABLE.format(scope=f"{name}.Read"))
        (api_dir / f"{name}-get.md").write_text(api_page(name, INCLUDE.format(name=name)))
    (api_dir / "delta-get.md").write_text(api_page("delta", INCLUDE.format(name="alpha")))
    (api_dir / "plain-get.md").write_text(api_page("plain", None))
    return root


def test_include_files_are_found_but_are_not_pages(tmp_path: Path) -> None:
    root = docs_tree(tmp_path / "docs")
    includes: list = []
    pages = discover([root], includes)
    assert [page.path.name for page in pages] == [
        "alpha-get.md",
        "beta-get.md",
        "delta-get.md",
        "gamma-get.md",
        "plain-get.md",
    ]
    assert [file.path.name for file in includes] == [
        "alpha-permissions.md",
        "beta-permissions.md",
        "gamma-permissions.md",
    ]
    assert all(page.root == root for page in pages)


def test_editing_an_include_rebuilds_exactly_the_pages_that_use_it(tmp_path: Path) -> None:
    root = docs_tree(tmp_path / "docs")
    out, cache = tmp_path / "out", tmp_path / "cache"

    def build() -> api.BuildSummary:
        return api.build([root], out_dir=out, cache_dir=cache, jobs=1)

    first = build()
    assert first.outcome == "written" and len(first.computed) == 5
    assert build().outcome == "current"
    edited = root / "v1.0" / "includes" / "permissions" / "alpha-permissions.md"
    edited.write_text(TABLE.format(scope="alpha.ReadWrite"))
    again = build()
    assert again.outcome == "written"
    assert sorted(Path(path).name for path in again.computed) == ["alpha-get.md", "delta-get.md"]
    assert again.result is not None
    scopes = {
        op.id: op.permissions.application for op in again.result.spec.operations if op.permissions
    }
    assert scopes["alphas.alpha.get"] == scopes["deltas.delta.get"] == ["alpha.ReadWrite"]
    assert scopes["betas.beta.get"] == ["beta.Read"]


def test_a_tree_built_from_a_subfolder_reads_nothing_outside_it(tmp_path: Path) -> None:
    root = docs_tree(tmp_path / "docs")
    [record, *_] = api.extract([root / "v1.0" / "api"], use_cache=False, jobs=1)
    assert record.operation is not None and record.operation.permissions is None
    [missing] = [d for d in record.diagnostics if d.rule == "include-missing"]
    assert missing.line == 12 and "leaves the docs tree" in missing.message
