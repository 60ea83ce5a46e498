"""Tests of extractor.read.typeref: type cells of property and parameter tables."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.read.typeref import PRIMITIVES, parse_type_cell, qualify
from extractor.schema import TypeRef

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEGMENT = re.compile(
    r'<span data-ttu-id="([0-9a-f]{5}-p?\d+)">(.*?)</span><span class="sxs-lookup">'
    r'<span data-stu-id="\1">(.*?)</span></span>',
    re.DOTALL,
)
GRAPH = "microsoft.graph"


def clean(cell: str, namespace: str = GRAPH) -> tuple[str | None, bool]:
    """(type, collection) of a cell that must parse without a problem."""
    ref, problem = parse_type_cell(cell, namespace)
    assert problem is None, (cell, problem)
    assert ref.alternatives == []
    assert ref.raw == cell.strip()
    return ref.type, ref.collection


# --- primitives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("String", "Edm.String"),
        ("string", "Edm.String"),
        ("Int32", "Edm.Int32"),
        ("int32", "Edm.Int32"),
        ("Int64", "Edm.Int64"),
        ("Int16", "Edm.Int16"),
        ("Boolean", "Edm.Boolean"),
        ("boolean", "Edm.Boolean"),
        ("bool", "Edm.Boolean"),
        ("DateTimeOffset", "Edm.DateTimeOffset"),
        ("dateTimeOffset", "Edm.DateTimeOffset"),
        ("Date", "Edm.Date"),
        ("TimeOfDay", "Edm.TimeOfDay"),
        ("Duration", "Edm.Duration"),
        ("Guid", "Edm.Guid"),
        ("GUID", "Edm.Guid"),
        ("Double", "Edm.Double"),
        ("Single", "Edm.Single"),
        ("Decimal", "Edm.Decimal"),
        ("Byte", "Edm.Byte"),
        ("SByte", "Edm.SByte"),
        ("Binary", "Edm.Binary"),
        ("Stream", "Edm.Stream"),
        ("Edm.String", "Edm.String"),
        ("Edm.boolean ", "Edm.Boolean"),
        ("Integer", "Edm.Int32"),
        ("int", "Edm.Int32"),
        ("Number", "Edm.Double"),
        ("Float", "Edm.Double"),
        ("numeric", "Edm.Double"),
        ("DateTime", "Edm.DateTimeOffset"),
        ("edm.DateTime", "Edm.DateTimeOffset"),
        ("Timestamp", "Edm.DateTimeOffset"),
        ("Url", "Edm.String"),
        ("Json", "microsoft.graph.Json"),
        ("Object", "microsoft.graph.Json"),
        ("JSON object", "microsoft.graph.Json"),
        ("Untyped JSON object", "microsoft.graph.Json"),
        ("microsoft.graph.json", "microsoft.graph.Json"),
    ],
)
def test_primitives(cell: str, expected: str) -> None:
    assert clean(cell) == (expected, False)


def test_primitives_table() -> None:
    assert PRIMITIVES["string"] == "Edm.String"
    assert PRIMITIVES["integer"] == "Edm.Int32"
    assert PRIMITIVES["float"] == "Edm.Double"
    assert all(v.startswith("Edm.") for v in PRIMITIVES.values())
    assert all(k == k.lower() for k in PRIMITIVES)


# --- markdown noise ------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "**String**",
        "`String`",
        "`Edm.String`",
        "String.",
        "String<br>",
        "String <br/>",
        "String (optional)",
        "(Optional) String",
        "String (nullable)",
        "Nullable String",
        "String, nullable",
        "string (readonly)",
        "String (enum)",
        "string, maximum size 20",
        "string (url)",
        "&nbsp;String&nbsp;",
        "<b>String</b>",
        " String ",
    ],
)
def test_noise_around_string(cell: str) -> None:
    assert clean(cell) == ("Edm.String", False)


def test_entities_and_escapes() -> None:
    assert clean("Collection&lt;String&gt;") == ("Edm.String", True)
    assert clean("String\\[\\]") == ("Edm.String", True)
    assert clean("String[]") == ("Edm.String", True)
    assert clean("\\*\\*callState\\*\\*") == ("microsoft.graph.callState", False)


# --- links, collections, names -------------------------------------------------------


def test_link_collection_takes_casing_from_text() -> None:
    cell = "[invitationParticipantInfo](../resources/invitationparticipantinfo.md) collection"
    assert clean(cell) == ("microsoft.graph.invitationParticipantInfo", True)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("String collection", ("Edm.String", True)),
        ("String Collection", ("Edm.String", True)),
        ("Collection(String)", ("Edm.String", True)),
        ("collection(string)", ("Edm.String", True)),
        ("`collection(string)`", ("Edm.String", True)),
        ("Collection of String", ("Edm.String", True)),
        (
            "Collection(microsoft.graph.columnDefinition)",
            ("microsoft.graph.columnDefinition", True),
        ),
        (
            "Collection([keyValuePair](../resources/keyvaluepair.md))",
            ("microsoft.graph.keyValuePair", True),
        ),
        ("Collection([columnDefinition][])", ("microsoft.graph.columnDefinition", True)),
        (
            "collection([changeNotification](changenotification.md))",
            ("microsoft.graph.changeNotification", True),
        ),
        ("[identitySet](identityset.md)", ("microsoft.graph.identitySet", False)),
        ("[identitySet][]", ("microsoft.graph.identitySet", False)),
        ("[identitySet][] collection", ("microsoft.graph.identitySet", True)),
        ("[**driveItem**][driveItem]", ("microsoft.graph.driveItem", False)),
        ("[educationUser] collection", ("microsoft.graph.educationUser", True)),
        ('[x](x.md "The x type")', ("microsoft.graph.x", False)),
        ("[itemAnalytics][] resource", ("microsoft.graph.itemAnalytics", False)),
        ("[fileHashType](filehashtypeenumtype.md) enum", ("microsoft.graph.fileHashType", False)),
        ("[**list**][list]", ("microsoft.graph.list", False)),
        ("[String](../resources/string.md)", ("Edm.String", False)),
        ("[Int32](int32.md) collection", ("Edm.Int32", True)),
        ("callState", ("microsoft.graph.callState", False)),
        ("alertFeedback enum", ("microsoft.graph.alertFeedback", False)),
        ("routingPolicy collection collection", ("microsoft.graph.routingPolicy", True)),
        ("entity", ("microsoft.graph.entity", False)),
        ("IdentitySet", ("microsoft.graph.IdentitySet", False)),
        ("#microsoft.graph.user", ("microsoft.graph.user", False)),
    ],
)
def test_names_links_collections(cell: str, expected: tuple[str, bool]) -> None:
    assert clean(cell) == expected


# --- namespaces ----------------------------------------------------------------------


def test_namespaced_page() -> None:
    ns = "microsoft.graph.callRecords"
    assert clean("session", ns) == ("microsoft.graph.callRecords.session", False)
    assert clean("modality collection", ns) == ("microsoft.graph.callRecords.modality", True)
    assert clean("String", ns) == ("Edm.String", False)
    # a link to an ordinary resource page is microsoft.graph even on a namespaced page
    assert clean("[identitySet](identityset.md)", ns) == ("microsoft.graph.identitySet", False)
    assert clean("[publicError](/graph/api/resources/publicerror)", ns) == (
        "microsoft.graph.publicError",
        False,
    )
    # a reference link's target is elsewhere: the page's namespace
    assert clean("[session][]", ns) == ("microsoft.graph.callRecords.session", False)


def test_link_file_implies_subnamespace() -> None:
    assert clean("[session](callrecords-session.md)") == (
        "microsoft.graph.callRecords.session",
        False,
    )
    assert clean("[property](../resources/externalconnectors-property.md) collection") == (
        "microsoft.graph.externalConnectors.property",
        True,
    )
    assert clean("[x](../resources/intune-shared-x.md)") == ("microsoft.graph.x", False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("microsoft.graph.security.alert", "microsoft.graph.security.alert"),
        ("callRecords.session", "microsoft.graph.callRecords.session"),
        ("callrecords.session", "microsoft.graph.callRecords.session"),
        (
            "[microsoft.graph.termstore.set](../resources/termstore-set.md)",
            "microsoft.graph.termStore.set",
        ),
        (
            "[microsoft.graph.callRecords.endpoint](callrecords-endpoint.md)",
            "microsoft.graph.callRecords.endpoint",
        ),
        (
            "[microsoft.graph.ediscovery.caseAction](../resources/ediscovery-caseoperation.md#caseaction-values)",
            "microsoft.graph.ediscovery.caseAction",
        ),
        (
            "[NAV.PostalAddress](../resources/dynamics-complextypes.md)",
            "microsoft.graph.NAV.PostalAddress",
        ),
    ],
)
def test_dotted_names(cell: str, expected: str) -> None:
    assert clean(cell, "microsoft.graph.callRecords") == (expected, False)


@pytest.mark.parametrize(
    ("name", "namespace", "expected"),
    [
        ("call", GRAPH, "microsoft.graph.call"),
        ("session", "microsoft.graph.callRecords", "microsoft.graph.callRecords.session"),
        ("session", "microsoft.graph.callrecords", "microsoft.graph.callRecords.session"),
        ("term", "microsoft.graph.termstore", "microsoft.graph.termStore.term"),
        ("x", "", "microsoft.graph.x"),
        ("x", "microsoft.graph.", "microsoft.graph.x"),
        (
            "microsoft.graph.security.alert",
            "microsoft.graph.callRecords",
            "microsoft.graph.security.alert",
        ),
        ("callRecords.session", GRAPH, "microsoft.graph.callRecords.session"),
        ("Edm.String", GRAPH, "Edm.String"),
        ("edm.int32", GRAPH, "Edm.Int32"),
        ("String", GRAPH, "Edm.String"),
        ("Json", "microsoft.graph.callRecords", "microsoft.graph.Json"),
        ("#microsoft.graph.user", GRAPH, "microsoft.graph.user"),
    ],
)
def test_qualify(name: str, namespace: str, expected: str) -> None:
    assert qualify(name, namespace) == expected


# --- ambiguous, empty, junk ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "alternatives", "collection"),
    [
        ("X or Y", ["microsoft.graph.X", "microsoft.graph.Y"], False),
        ("X, Y or Z", ["microsoft.graph.X", "microsoft.graph.Y", "microsoft.graph.Z"], False),
        ("X, Y, or Z", ["microsoft.graph.X", "microsoft.graph.Y", "microsoft.graph.Z"], False),
        ("X \\| Y", ["microsoft.graph.X", "microsoft.graph.Y"], False),
        ("X | Y", ["microsoft.graph.X", "microsoft.graph.Y"], False),
        ("string/number", ["Edm.String", "Edm.Double"], False),
        (
            "(boolean or string or number) collection",
            ["Edm.Boolean", "Edm.String", "Edm.Double"],
            True,
        ),
        (
            "[appHostedMediaConfig](../resources/apphostedmediaconfig.md) or "
            "[serviceHostedMediaConfig](../resources/servicehostedmediaconfig.md)",
            ["microsoft.graph.appHostedMediaConfig", "microsoft.graph.serviceHostedMediaConfig"],
            False,
        ),
    ],
)
def test_ambiguous(cell: str, alternatives: list[str], collection: bool) -> None:
    ref, problem = parse_type_cell(cell)
    assert ref == TypeRef(
        type=alternatives[0], collection=collection, alternatives=alternatives, raw=cell
    )
    assert problem == f"ambiguous type: {cell[:80]!r}"


def test_same_type_twice_is_not_ambiguous() -> None:
    assert clean("String or string") == ("Edm.String", False)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("", "empty type cell"),
        ("   ", "empty type cell"),
        ("None", "no type: 'None'"),
        ("none", "no type: 'none'"),
        ("-", "no type: '-'"),
        ("N/A", "no type: 'N/A'"),
        ("``", "no type: '``'"),
        ("Not supported.", "not a type: 'Not supported.'"),
        (
            "Moment in time when the resource was created.  DateTimeOffset",
            "not a type: 'Moment in time when the resource was created.  DateTimeOffset'",
        ),
        (
            "\\*\\* Unknown Type `microsoft.management.x` \\*\\* collection",
            "not a type: '\\\\*\\\\* Unknown Type `microsoft.management.x` \\\\*\\\\* collection'",
        ),
        ("%%%", "not a type: '%%%'"),
    ],
)
def test_no_type(cell: str, problem: str) -> None:
    ref, got = parse_type_cell(cell)
    assert ref == TypeRef(raw=cell.strip())
    assert got == problem


def test_extra_text_keeps_type() -> None:
    cell = "[educationOutcome](educationOutcome.md) collection. Holds grades, feedback and rubrics"
    ref, problem = parse_type_cell(cell)
    assert (ref.type, ref.collection) == ("microsoft.graph.educationOutcome", True)
    assert problem == f"extra text in type cell: {cell[:80]!r}"


def test_unknown_edm_primitive() -> None:
    ref, problem = parse_type_cell("Edm.Foo")
    assert ref.type == "Edm.Foo"
    assert problem == "unknown primitive: 'Edm.Foo'"


# --- localized cells -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("字符串", ("Edm.String", False)),
        ("双精度", ("Edm.Double", False)),
        ("布尔值", ("Edm.Boolean", False)),
        ("期限", ("Edm.Duration", False)),
        ("日期时间", ("Edm.DateTimeOffset", False)),
        ("字符串集合", ("Edm.String", True)),
        ("modality 集合", ("microsoft.graph.modality", True)),
        ("[identitySet](identityset.md) 集合", ("microsoft.graph.identitySet", True)),
        (
            "[callRecords。 userAgent](callrecords-useragent.md)",
            ("microsoft.graph.callRecords.userAgent", False),
        ),
        ("[参与者](participant.md)", ("microsoft.graph.participant", False)),
        ("Строка", ("Edm.String", False)),
        ("String коллекция", ("Edm.String", True)),
        ("Coleção de String", ("Edm.String", True)),
    ],
)
def test_localized(cell: str, expected: tuple[str, bool]) -> None:
    ref, problem = parse_type_cell(cell)
    assert (ref.type, ref.collection) == expected
    assert problem == f"localized type cell: {cell!r}"


def test_localized_or_is_ambiguous_too() -> None:
    cell = (
        "[organizerMeetingInfo](organizermeetinginfo.md) 或 [tokenMeetingInfo](tokenmeetinginfo.md)"
    )
    ref, problem = parse_type_cell(cell)
    assert ref.alternatives == [
        "microsoft.graph.organizerMeetingInfo",
        "microsoft.graph.tokenMeetingInfo",
    ]
    assert problem == f"localized type cell: {cell[:80]!r}; ambiguous type: {cell[:80]!r}"


def test_localized_none() -> None:
    ref, problem = parse_type_cell("无")
    assert ref.type is None
    assert problem == "localized type cell: '无'; no type: '无'"


def test_unknown_localized_word() -> None:
    ref, problem = parse_type_cell("未知")
    assert ref.type is None
    assert problem == "localized type cell: '未知'; not a type: '未知'"


# --- robustness ----------------------------------------------------------------------

_CELLISH = st.text(
    alphabet=st.sampled_from(list("[]()<>|,/\\*`.#-_ aZcollectionorStringEdm:\"'&;集合或\n\t")),
    max_size=200,
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), _CELLISH), st.sampled_from([GRAPH, "", "a.b.", "x"]))
def test_random_cells_never_raise(cell: str, namespace: str) -> None:
    ref, problem = parse_type_cell(cell, namespace)
    assert ref.raw == cell.strip()
    assert problem is None or problem
    if ref.type is None:
        assert problem is not None and not ref.alternatives
    if ref.alternatives:
        assert ref.type == ref.alternatives[0] and problem is not None
    qualify(cell, namespace)


@given(st.sampled_from(sorted(PRIMITIVES)), st.booleans())
def test_every_primitive_parses(name: str, collection: bool) -> None:
    cell = f"{name} collection" if collection else name
    assert clean(cell) == (PRIMITIVES[name], collection)


@pytest.mark.parametrize(
    "cell",
    [
        "[" * 100_000,
        "]" * 100_000,
        "(" * 100_000,
        "Collection(" * 20_000,
        "[x](" * 30_000,
        "a or " * 30_000,
        "x, " * 30_000,
        "<b" * 50_000,
        "<" + " " * 100_000,
        "&amp;" * 30_000,
        "\\" * 100_000,
        "([{<" * 30_000,
        "(a or " * 20_000,
        "a" + " " * 100_000 + "。",
        "集合" * 50_000,
    ],
)
def test_pathological_cells_are_fast(cell: str) -> None:
    start = time.process_time()
    parse_type_cell(cell)
    assert time.process_time() - start < 3.0


# --- the real corpus -----------------------------------------------------------------


def _split_row(line: str) -> list[str]:
    """Cells of a pipe table row; escaped pipes and pipes inside backticks stay."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    cells: list[str] = []
    cur: list[str] = []
    in_code = False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur).strip())
    return cells


_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}")


def _type_cells(text: str) -> list[str]:
    """Second-column cells of tables whose header's second column is ``Type``."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and _DELIMITER.match(lines[i + 1]):
            header = _split_row(lines[i])
            j = i + 2
            if len(header) > 1 and header[1].strip("* ").lower() == "type":
                while j < len(lines) and "|" in lines[j] and lines[j].strip():
                    row = _split_row(lines[j])
                    if len(row) > 1:
                        out.append(row[1])
                    j += 1
            i = j
            continue
        i += 1
    return out


@pytest.mark.slow
def test_corpus_type_cells() -> None:
    root = CORPUS / "zh-CN"
    if not root.is_dir():
        pytest.skip("corpus not available")
    total = 0
    problems: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for page in sorted(root.rglob("*.md")):
        text = SEGMENT.sub(lambda m: m.group(3), page.read_text(encoding="utf-8"))
        ns = re.search(r"^Namespace:\s*(\S+)", text, re.MULTILINE)
        namespace = ns.group(1) if ns else GRAPH
        for cell in _type_cells(text):
            total += 1
            _, problem = parse_type_cell(cell, namespace)
            if problem:
                problems[cell] += 1
                kinds[problem.split(":")[0]] += 1
    bad = sum(problems.values())
    share = 1 - bad / total
    print(f"\ntype cells: {total}, clean: {total - bad} ({share:.4%}), problems by kind: {kinds}")
    for cell, n in problems.most_common(20):
        print(f"  {n:4d}  {cell[:100]!r}")
    assert total > 50_000
    assert share > 0.98


@pytest.mark.slow
def test_corpus_redirect_parameters() -> None:
    """call-redirect (v1.0): the request-body table reads as a careful reader sees it."""
    page = CORPUS / "zh-CN" / "api-reference" / "v1.0" / "api" / "call-redirect.md"
    if not page.is_file():
        pytest.skip("corpus not available")
    text = SEGMENT.sub(lambda m: m.group(3), page.read_text(encoding="utf-8"))
    got = [(r.type, r.collection) for r in (parse_type_cell(c)[0] for c in _type_cells(text))]
    assert got[:3] == [
        ("microsoft.graph.invitationParticipantInfo", True),
        ("Edm.Int32", False),
        ("Edm.String", False),
    ]
