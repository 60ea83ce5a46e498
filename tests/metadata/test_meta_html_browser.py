"""The HTML report's filters in a real browser (headless Chromium, ``--dump-dom``), as the
version diff's report is tested: the page reads its filters from ``location.hash``."""

from __future__ import annotations

from pathlib import Path

import pytest
from meta_helpers import run
from test_meta_reports import DOCS, METADATA, records

from extractor.metadata.docs import PageLines
from extractor.metadata.report import render_html
from tests.diff.test_diff_html import browser, dump, visible

pytestmark = pytest.mark.slow
__all__ = ["browser"]  # the fixture, shared with the diff report's tests


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    alignment = run(DOCS, METADATA, lines=PageLines(records()))
    path = tmp_path_factory.mktemp("html") / "metadata.html"
    path.write_text(render_html(alignment), encoding="utf-8")
    return path


def rules(rows: list) -> set[str]:
    return {str(row["data-rule"]) for row in rows}


def test_unfiltered_shows_every_finding(browser: str, page: Path, tmp_path: Path) -> None:
    soup = dump(browser, page, tmp_path)
    rows = visible(soup, "findings")
    assert len(rows) == len(soup.select("#findings tbody tr")) == 5
    assert soup.find(id="findings-count").get_text() == f"{len(rows)} of {len(rows)} shown"


@pytest.mark.parametrize(
    ("hash_", "expected"),
    [
        ("rule=string-for-enum", {"string-for-enum"}),
        ("area=parameters", {"docs-parameter-not-in-metadata"}),
        ("page=call-reject", {"docs-parameter-not-in-metadata"}),
        ("area=members&severity=info", set()),
        ("area=members&text=alert", {"docs-member-not-in-metadata", "metadata-member-not-in-docs"}),
    ],
)
def test_filters(browser: str, page: Path, tmp_path: Path, hash_: str, expected: set[str]) -> None:
    soup = dump(browser, page, tmp_path, hash_)
    assert rules(visible(soup, "findings")) == expected
