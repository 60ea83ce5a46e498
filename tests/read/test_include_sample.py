"""Today's docs sample (``current/en-US-2026``): every api page whose permissions include is
there has both columns; every page whose include is not has ``include-missing`` and null."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SHARED_CORPUS

from extractor.engine.records import extract_records
from extractor.read.corpus import discover

SAMPLE = SHARED_CORPUS / "current" / "en-US-2026"
_INCLUDE = re.compile(r"^\[!INCLUDE \[permissions-table\]\(([^)]*)\)\]", re.M)

pytestmark = pytest.mark.slow


def _checked(root: Path) -> dict[str, int]:
    if not SAMPLE.is_dir():
        pytest.skip("the sample of today's docs is not here")
    pages = discover([root])
    counts = {"api": 0, "present": 0, "missing": 0}
    for page, record in zip(pages, extract_records(pages, jobs=1).records, strict=True):
        if record.kind != "api":
            continue
        counts["api"] += 1
        text = page.path.read_text(encoding="utf-8")
        found = _INCLUDE.search(text)
        if found is None or record.operation is None:
            continue
        target = (page.path.parent / found.group(1)).resolve()
        permissions = record.operation.permissions
        if target.is_file() and target.is_relative_to(root.resolve()):
            counts["present"] += 1
            assert permissions is not None, page.display
            higher = "|" in target.read_text() and any(
                cell.strip() and "Not " not in cell and "---" not in cell and "Higher" not in cell
                for line in target.read_text().splitlines()
                if line.startswith("|")
                for cell in line.split("|")[3:4]
            )
            least = [permissions.delegated_work, permissions.application]
            assert any(least), page.display
            if higher:
                assert any([permissions.delegated_work_higher, permissions.application_higher]), (
                    page.display
                )
        else:
            counts["missing"] += 1
            warnings = [d for d in record.diagnostics if d.rule == "include-missing"]
            assert warnings and warnings[0].severity == "warning", page.display
            assert permissions is None or "Permission type" in text, page.display
    return counts


def test_the_sample_has_both_columns_or_a_missing_include() -> None:
    assert _checked(SAMPLE) == {"api": 68, "present": 20, "missing": 14}


def test_a_subfolder_tree_reports_every_include_as_missing() -> None:
    counts = _checked(SAMPLE / "api-reference" / "v1.0" / "api")
    assert counts["present"] == 0 and counts["missing"] == 14


def test_include_files_are_not_pages() -> None:
    if not SAMPLE.is_dir():
        pytest.skip("the sample of today's docs is not here")
    includes: list = []
    assert len(discover([SAMPLE], includes)) == 110 and len(includes) == 30
