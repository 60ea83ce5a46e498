"""The reports: JSON for scripts, Markdown, SARIF for code scanning, HTML for docs writers
(escaped, filterable, linking to pages and lines); all deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from meta_helpers import ENTITY, csdl, member, operation, run, spec, typedef

from extractor.metadata.docs import PageLines
from extractor.metadata.findings import Alignment
from extractor.metadata.report import render, render_html, render_json, render_sarif
from extractor.metadata.rules import RULES
from extractor.schema import Operation, PageRecord, Parameter, Section, SourceInfo, TypeDef

G = "microsoft.graph."
XSS = '<script>alert("x")</script>'
METADATA = csdl(
    ENTITY
    + '<EntityType Name="call" BaseType="graph.entity">'
    + '<Property Name="state" Type="graph.callState"/>'
    + '<Property Name="x&lt;img src=1 onerror=alert(1)&gt;" Type="Edm.String"/></EntityType>'
    + '<EnumType Name="callState"><Member Name="incoming" Value="0"/></EnumType>'
    + '<Action Name="reject" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="reason" Type="Edm.String"/></Action>'
)
DOCS = spec(
    types=(
        typedef(G + "entity", properties=(member("id", "Edm.String"),)),
        typedef(
            G + "call",
            base=G + "entity",
            properties=(member("state", "Edm.String"), member(XSS, "Edm.String")),
        ),
    ),
    operations=(
        operation(
            "call.reject",
            binding=G + "call",
            name="reject",
            parameters=(member("reason", "Edm.String"), member("Reason2", "Edm.Int32")),
        ),
    ),
)


def records() -> list[PageRecord]:
    """The pages' records, for their lines."""
    call = PageRecord(
        source=SourceInfo(path="pages/v1.0/call.md", sha256=""),
        sections=[Section(title="call resource type", level=1, line=3)],
        type=TypeDef(
            name=G + "call",
            properties=[Parameter(name="state", line=12), Parameter(name=XSS, line=13)],
        ),
    )
    reject = PageRecord(
        source=SourceInfo(path="pages/v1.0/call-reject.md", sha256=""),
        sections=[Section(title="call: reject", level=1, line=2)],
        operation=Operation(id="call.reject", parameters=[Parameter(name="Reason2", line=40)]),
    )
    return [call, reject]


@pytest.fixture(scope="module")
def alignment() -> Alignment:
    return run(DOCS, METADATA, lines=PageLines(records()))


def test_json_holds_the_summary_and_every_finding(alignment: Alignment) -> None:
    data = json.loads(render_json(alignment))
    assert set(data) == {"summary", "findings"}
    assert data["summary"]["total"] == len(data["findings"]) == len(alignment.findings)
    state = next(f for f in data["findings"] if f["element"][-1] == "state")
    assert state == {
        "rule": "string-for-enum",
        "severity": "warning",
        "area": "members",
        "element": ["types", G + "call", "properties", "state"],
        "page": "pages/v1.0/call.md",
        "line": 12,
        "docs": "Edm.String",
        "metadata": G + "callState",
        "message": "state is Edm.String in the docs, microsoft.graph.callState in the metadata",
    }
    extra = next(f for f in data["findings"] if f["element"][-1] == "Reason2")
    assert (extra["rule"], extra["line"]) == ("docs-parameter-not-in-metadata", 40)
    categories = data["summary"]["categories"]
    assert categories["members"]["docs"] == 3
    assert set(categories["entitySets"]) == {"metadata", "metadataFound"}  # one side only
    assert set(categories["returnTypes"]) == {"docs", "docsFound", "agreeing"}
    assert data["summary"]["notes"] == []  # the pages' lines were given


def test_every_format_is_deterministic(alignment: Alignment) -> None:
    again = run(
        {key: list(reversed(value)) for key, value in DOCS.items()},
        METADATA,
        lines=PageLines(reversed(records())),
    )
    for output_format in ("md", "json", "sarif", "html"):
        assert render(alignment, output_format) == render(again, output_format)


def test_markdown_escapes_and_places(alignment: Alignment) -> None:
    text = render(alignment, "md")
    assert "| `string-for-enum` |" in text
    assert "pages/v1.0/call.md:12" in text
    # a code span shows its text as it is; elsewhere markdown's specials are escaped
    assert '`types › microsoft.graph.call › properties › <script>alert("x")</script>`' in text
    assert 'property \\<script\\>alert("x")\\</script\\>: Edm.String' in text
    assert "## Members" in text and "## Parameters" in text


def test_sarif_is_a_valid_log_with_every_rule(alignment: Alignment) -> None:
    from sarif_pydantic import Sarif

    data = json.loads(render_sarif(alignment))
    Sarif.model_validate({**data, "schemaUri": data.pop("$schema")})
    (run_,) = data["runs"]
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == [r.id for r in RULES]
    results = {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r for r in run_["results"]
    }
    state = results[f"types/{G}call/properties/state"]
    assert state["ruleId"] == "string-for-enum" and state["level"] == "warning"
    physical = state["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "pages/v1.0/call.md", "uriBaseId": "SRCROOT"}
    assert physical["region"] == {"startLine": 12}
    metadata_only = results[f"types/{G}call/properties/x<img src=1 onerror=alert(1)>"]
    assert metadata_only["ruleId"] == "metadata-member-not-in-docs"
    assert metadata_only["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    fingerprints = {r["partialFingerprints"]["elementHash/v1"] for r in run_["results"]}
    assert len(fingerprints) == len(run_["results"])


def test_html_escapes_everything_from_pages_and_metadata(alignment: Alignment) -> None:
    html = render_html(alignment)
    assert "<script>alert" not in html and "<img src=1" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    assert [s.get_text() for s in soup.find_all("script")] != []
    assert all("alert(" not in s.get_text() for s in soup.find_all("script"))
    rows = soup.select("#findings tbody tr")
    assert len(rows) == len(alignment.findings)
    xss = next(r for r in rows if XSS in r.get_text())  # shown as text, not run
    assert xss["data-area"] == "members" and xss["data-page"] == "pages/v1.0/call.md"


def test_html_links_each_finding_to_its_page_and_line(alignment: Alignment, tmp_path: Path) -> None:
    soup = BeautifulSoup(render_html(alignment, Path("out/metadata")), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("#findings a")}
    assert links["pages/v1.0/call.md:12"] == "../../pages/v1.0/call.md#L12"
    assert links["pages/v1.0/call-reject.md:40"] == "../../pages/v1.0/call-reject.md#L40"
    absolute = render_html(run(DOCS | {"operations": []}, METADATA))
    assert 'href="pages/v1.0/call.md"' in absolute  # no lines known: the page alone
    options = [o["value"] for o in soup.select("#filter-area option")]
    assert options == ["", "members", "enums", "parameters"]  # callState: no page
    assert {o["value"] for o in soup.select("#filter-rule option")} > {"", "string-for-enum"}
    assert {o["value"] for o in soup.select("#pages option")} == {
        "pages/v1.0/call.md",
        "pages/v1.0/call-reject.md",
    }


def test_a_page_path_never_becomes_a_script_link() -> None:
    """A page path is the docs' to choose: ``javascript:`` in it stays a relative path."""
    from extractor.metadata.report import _href

    for report_dir in (None, Path("out/metadata")):
        href = _href('javascript:alert(1)//"x" onmouseover=alert(2).md', 3, report_dir)
        assert not href.lower().startswith("javascript:")
        assert ":" not in href and '"' not in href and " " not in href
