"""The HTML diff report in a real browser: headless Chromium runs its filters (``--dump-dom``).

The page reads its filters from ``location.hash`` (``#severity=breaking&availability=beta-only``),
so loading it with a hash and dumping the DOM shows exactly what a user would see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from extractor.diff import availability_matrix, diff_versions, render_diff_html
from extractor.schema import UnifiedSpec

pytestmark = pytest.mark.slow

BOTH = ["beta", "v1.0"]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def seed_spec() -> UnifiedSpec:
    """call.redirect in both versions with beta-only parameters; call.transfer beta-only."""

    def param(name: str, type_: str, versions: list[str], **extra: Any) -> dict[str, Any]:
        return {"name": name, "type": type_, "versions": versions, **extra}

    return UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "call.create",
                    "method": "POST",
                    "versions": ["v1.0"],
                    "paths": [{"path": "/communications/calls", "versions": ["v1.0"]}],
                },
                {
                    "id": "call.redirect",
                    "method": "POST",
                    "versions": BOTH,
                    "paths": [
                        {
                            "path": "/app/calls/{id}/redirect",
                            "versions": ["beta"],
                            "deprecated": True,
                        },
                        {"path": "/communications/calls/{id}/redirect", "versions": BOTH},
                    ],
                    "parameters": [
                        param("callbackUri", "Edm.String", BOTH),
                        param("maskCallee", "Edm.Boolean", ["beta"]),
                        param("maskCaller", "Edm.Boolean", ["beta"]),
                        param(
                            "targetDisposition",
                            "microsoft.graph.callDisposition",
                            ["beta"],
                            deprecated=True,
                        ),
                        param(
                            "targets",
                            "microsoft.graph.invitationParticipantInfo",
                            BOTH,
                            collection=True,
                        ),
                        param("timeout", "Edm.Int32", BOTH),
                    ],
                    "response": {"status": 202},
                },
                {
                    "id": "call.transfer",
                    "method": "POST",
                    "versions": ["beta"],
                    "paths": [
                        {"path": "/communications/calls/{id}/transfer", "versions": ["beta"]}
                    ],
                },
            ],
            "types": [{"name": "microsoft.graph.call", "kind": "entity", "versions": BOTH}],
            "enums": [{"name": "microsoft.graph.callDisposition", "versions": ["beta"]}],
        }
    )


def find_browser() -> str | None:
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    """Chromium's path; installed with apt-get when absent and possible, else the test skips."""
    found = find_browser()
    if found is None and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            subprocess.run(["apt-get", "update"], capture_output=True, timeout=600, check=True)
            subprocess.run(
                ["apt-get", "install", "-y", "chromium"],
                capture_output=True,
                timeout=900,
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        except (OSError, subprocess.SubprocessError):
            pass
        found = find_browser()
    if found is None:
        pytest.skip("chromium not found and could not be installed")
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = seed_spec()
    html = render_diff_html(diff_versions(spec), "v1.0 → beta", availability_matrix(spec))
    path = tmp_path_factory.mktemp("html") / "diff.html"
    path.write_text(html, encoding="utf-8")
    return path


def dump(browser: str, page: Path, tmp_path: Path, hash_: str = "") -> BeautifulSoup:
    """The DOM after the page's scripts ran, loaded with ``hash_`` as its fragment."""
    url = page.as_uri() + (f"#{hash_}" if hash_ else "")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return BeautifulSoup(result.stdout.decode("utf-8"), "html.parser")


def visible(soup: BeautifulSoup, table_id: str) -> list[Tag]:
    table = soup.find(id=table_id)
    assert isinstance(table, Tag)
    return [row for row in table.select("tbody tr") if not row.has_attr("hidden")]


def names(rows: list[Tag]) -> list[str]:
    return [str(row["data-name"]) for row in rows]


def test_unfiltered_page_shows_everything(browser: str, page: Path, tmp_path: Path) -> None:
    soup = dump(browser, page, tmp_path)
    rows = visible(soup, "changes")
    assert len(rows) == 9
    count = soup.find(id="changes-count")
    assert count is not None and count.get_text() == "9 of 9 shown"
    mask = [r for r in rows if '"maskCallee"' in str(r["data-location"])]
    assert [(r["data-severity"], r["data-rule"]) for r in mask] == [
        ("non-breaking", "parameter-added")
    ]
    assert "parameter 'maskCallee' (Edm.Boolean) added" in mask[0].get_text()
    assert names(visible(soup, "matrix")) == [
        "call.create",
        "call.redirect",
        "call.transfer",
        "microsoft.graph.call",
        "microsoft.graph.callDisposition",
    ]
    for marker in ("filter-severity", "filter-text", "matrix", "changes"):
        assert soup.find(id=marker) is not None


def test_beta_only_matrix_filter(browser: str, page: Path, tmp_path: Path) -> None:
    soup = dump(browser, page, tmp_path, "availability=beta-only")
    shown = visible(soup, "matrix")
    assert names(shown) == ["call.transfer", "microsoft.graph.callDisposition"]
    transfer = shown[0]
    cells = [td.get_text() for td in transfer.find_all("td")]
    assert cells == ["operations", "call.transfer", "—", "✓", "beta only"]
    count = soup.find(id="matrix-count")
    assert count is not None and count.get_text() == "2 of 5 shown"
    assert len(visible(soup, "changes")) == 9  # the other table is untouched


def test_v1_only_and_both_matrix_filters(browser: str, page: Path, tmp_path: Path) -> None:
    assert names(visible(dump(browser, page, tmp_path, "availability=v1.0-only"), "matrix")) == [
        "call.create"
    ]
    assert names(visible(dump(browser, page, tmp_path, "availability=both"), "matrix")) == [
        "call.redirect",
        "microsoft.graph.call",
    ]


def test_severity_filter_hides_other_rows(browser: str, page: Path, tmp_path: Path) -> None:
    soup = dump(browser, page, tmp_path, "severity=breaking")
    shown = visible(soup, "changes")
    assert [(r["data-severity"], r["data-rule"]) for r in shown] == [
        ("breaking", "operation-removed")
    ]
    table = soup.find(id="changes")
    assert isinstance(table, Tag)
    hidden = [r for r in table.select("tbody tr") if r.has_attr("hidden")]
    assert len(hidden) == 8
    assert {str(r["data-severity"]) for r in hidden} == {"non-breaking", "deprecation"}


def test_severity_and_text_filters_combine(browser: str, page: Path, tmp_path: Path) -> None:
    soup = dump(browser, page, tmp_path, "severity=deprecation,non-breaking&text=targetdisp")
    shown = visible(soup, "changes")
    assert [str(r["data-rule"]) for r in shown] == ["parameter-added", "parameter-deprecated"]
    soup = dump(browser, page, tmp_path, "text=maskCallee")
    assert [str(r["data-location"]) for r in visible(soup, "changes")] == [
        '["operations", "call.redirect", "parameters", "maskCallee"]'
    ]
