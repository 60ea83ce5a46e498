"""Bad input never crashes a stage, never loses a record, and never costs quadratic time.

Each stage gets random input (hypothesis) and must return, not raise; page records must
stay sound (their own path, lines inside the page, no ``internal-error``: the stages
themselves did not raise) and must survive the trip through JSON that a worker's result
takes. Pathological pages (100,000 unclosed spans, 10,000 nested brackets, 100,000 table
rows, 50,000 unclosed comments, 100,000 backticks, a 10 MB line, and the shapes that once
made a reader quadratic) must finish in seconds of CPU time.
"""

from __future__ import annotations

import gc
import hashlib
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractor.engine import records as extract
from extractor.engine.records import record_from_bytes
from extractor.read.bilingual import split_segments
from extractor.read.httpblock import parse_http_message, parse_request_lines
from extractor.read.jsonish import parse_body, parse_lenient_object
from extractor.read.markdown import parse_document, parse_front_matter, split_table_row
from extractor.read.typeref import parse_type_cell
from extractor.schema import Example, PageRecord, SourceInfo

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
BODY_KINDS = {"json", "empty", "csv", "base64", "multipart", "mime", "placeholder", "xml", "text",
              "binary"}  # fmt: skip
CPU_SECONDS = 10.0  # generous: every case below takes well under 3 s when linear

# Pieces real pages are made of, so random text reaches deep into every stage.
PIECES = [
    *'{}[]()",:\'/\\*.-_ \n\t|`#<>!=&;0123456789aenlrtuAZ',
    "<!--", "-->", "<!-- {", '"blockType": "request"', "```", "```json\n", "```http\n", "\n\n",
    "GET ", "POST ", "PATCH ", "HTTP/1.1 200 OK", "HTTP/1.1 204 No Content\n",
    "https://graph.microsoft.com/v1.0/", "https://graph.microsoft.com/beta/", "/me/events",
    "## ", "# ", "### ", "| Property | Type | Description |\n|:--|:--|:--|\n",
    "| a | String | d |\n",
    '<span data-ttu-id="abcde-1">', '</span><span class="sxs-lookup"><span data-stu-id="abcde-1">',
    "</span></span>", "Collection(", " collection", "Edm.", "microsoft.graph.", "[call](call.md)",
    "---\n", "doc_type: apiPageType\n", "doc_type: resourcePageType\n", "title: ", "\\u", "\\ud800",
    "True", "None", "...", "&quot;", "\u00a0", "\ufeff", "\x00", "\r", "中文", "<br>",
    "Content-Type: application/json\n", "(optional)", " or ", "## HTTP request\n",
    "## Request body\n", "## Response\n", "## Properties\n", "> [!NOTE]\n", "[!INCLUDE [x](y.md)]",
]  # fmt: skip
markdownish = st.lists(st.sampled_from(PIECES), max_size=80).map("".join) | st.text(max_size=300)


def page_lines(data: bytes) -> int:
    """Lines of the page as the pipeline counts them (CR and CRLF end lines too)."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_sound(record: PageRecord, path: str, data: bytes) -> None:
    """A record of ``data`` at ``path``: its own path and hash, lines inside the page."""
    last = page_lines(data)
    lines: list[tuple[str, int | None]] = [
        (f"diagnostic {d.rule}", d.line) for d in record.diagnostics
    ]
    lines += [(f"section {s.title!r}", s.line) for s in record.sections]
    for example in record.examples:
        lines += [(f"example {example.id}", example.line), ("end", example.end_line)]
        lines += [(f"repair {repair.kind}", repair.line) for repair in example.repairs]
    if record.operation is not None:
        lines += [(f"path {p.path!r}", p.line) for p in record.operation.paths]
        lines += [(f"parameter {p.name!r}", p.line) for p in record.operation.parameters]
    if record.type is not None:
        items = [*record.type.properties, *record.type.relationships]
        lines += [(f"property {p.name!r}", p.line) for p in items]
    assert [
        (what, line) for what, line in lines if line is not None and not 1 <= line <= last
    ] == []
    assert record.source.path == path
    assert record.source.sha256 == hashlib.sha256(data).hexdigest()
    assert [d.message for d in record.diagnostics if d.rule == "internal-error"] == []
    assert {d.path for d in record.diagnostics} <= {path}
    assert all(d.rule and d.message.strip() for d in record.diagnostics)


def worker_record(path: str, data: bytes) -> PageRecord:
    """The record as extract_records gets it: built and written to JSON in a worker, read back."""
    return PageRecord.model_validate_json(record_from_bytes(path, data))


def cpu_seconds(work: Callable[[], Any]) -> tuple[Any, float]:
    """CPU time, not wall time: other test runs on the machine must not make this flaky.

    What the session already holds (11,214 records when the slow tests ran first) is frozen
    out of the garbage collector meanwhile: its full passes would be timed, not the stage.
    """
    gc.collect()
    gc.freeze()
    try:
        start = time.process_time()
        result = work()
        return result, time.process_time() - start
    finally:
        gc.unfreeze()


def rules(record: PageRecord) -> Counter[str]:
    return Counter(diagnostic.rule for diagnostic in record.diagnostics)


# --- bilingual text ------------------------------------------------------------------------


@FAST
@given(markdownish)
def test_split_segments_keeps_lines_inside_the_page(text: str) -> None:
    result = split_segments(text)
    last = text.count("\n") + 1
    assert all(1 <= line <= last for line in result.malformed_lines)
    assert all(1 <= segment.line <= last for segment in result.segments)
    mapped = [result.original_line(line) for line in range(1, result.english.count("\n") + 2)]
    assert mapped == sorted(mapped)
    assert all(1 <= line <= last for line in mapped)


segment_ids = st.from_regex(r"[0-9a-f]{5}-p?[0-9]{1,3}", fullmatch=True)
english_halves = st.text(st.characters(blacklist_characters="<\n\r"), max_size=20)
localized_halves = st.text(st.sampled_from("文字 的\nab*`|"), max_size=12)
fillers = st.text(st.sampled_from("ab #|-\n`*"), max_size=12)


@FAST
@given(st.lists(st.tuples(fillers, segment_ids, localized_halves, english_halves), max_size=12))
def test_split_segments_recovers_every_segment_and_its_line(
    parts: list[tuple[str, str, str, str]],
) -> None:
    """Pages built from known segments: the English text and the line map come out exact.

    English lines start only inside the filler (an English half holds no newline), so the
    page line of every English line start is known while the page is built.
    """
    page, english, starts = "", "", [(1, 1)]  # (English line, page line) of each line start
    for filler, seg_id, localized, english_half in parts:
        for offset, char in enumerate(filler):
            if char == "\n":
                before = filler[: offset + 1]
                starts.append((english.count("\n") + before.count("\n") + 1,
                               page.count("\n") + before.count("\n") + 1))  # fmt: skip
        page += filler
        english += filler
        page += (
            f'<span data-ttu-id="{seg_id}">{localized}</span><span class="sxs-lookup">'
            f'<span data-stu-id="{seg_id}">{english_half}</span></span>'
        )
        english += english_half
    result = split_segments(page)
    assert result.english == english
    assert [(s.id, s.localized, s.english) for s in result.segments] == [
        (seg_id, localized, english_half) for _, seg_id, localized, english_half in parts
    ]
    assert result.malformed_lines == []
    assert [(line, result.original_line(line)) for line, _ in starts] == starts


# --- markdown --------------------------------------------------------------------------------


@FAST
@given(markdownish)
def test_parse_document_keeps_every_line_inside_the_text(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the page stage hands it over
    doc = parse_document(text)
    last = text.count("\n") + 1
    lines = [block.line for block in doc.blocks] + [block.end_line for block in doc.blocks]
    lines += [heading.line for heading in doc.headings]
    lines += [problem.line for problem in doc.problems if problem.line is not None]
    for block in doc.blocks:
        if block.table is not None:
            lines += block.table.row_lines
        if block.fence is not None:
            lines += [block.fence.line, block.fence.content_line, block.fence.end_line]
    assert all(1 <= line <= last + 1 for line in lines)
    assert all(block.line <= block.end_line for block in doc.blocks)


cell_text = st.text(st.characters(blacklist_characters="|\\`\n\r&"), max_size=12)


@FAST
@given(st.lists(cell_text, min_size=1, max_size=6), st.booleans())
def test_split_table_row_returns_the_cells_it_was_built_from(
    cells: list[str], trailing_pipe: bool
) -> None:
    assume(trailing_pipe or cells[-1].strip())  # "| a | " is "| a |": a trailing pipe
    row = "| " + " | ".join(cells) + (" |" if trailing_pipe else "")
    expected = [cell.strip() for cell in cells]
    assert split_table_row(row) == expected


@FAST
@given(markdownish)
def test_parse_front_matter_always_gives_a_mapping(text: str) -> None:
    fields, problem = parse_front_matter(text)
    assert isinstance(fields, dict)
    assert problem is None or (isinstance(problem, str) and problem)


def test_front_matter_with_an_impossible_date_is_read_line_by_line() -> None:
    """``2021-02-30`` makes PyYAML raise ValueError, not YAMLError: once an internal error."""
    fields, problem = parse_front_matter("title: Get call\nms.date: 2021-02-30\n")
    assert fields == {"title": "Get call", "ms.date": "2021-02-30"}
    assert problem == "day is out of range for month"


# --- JSON bodies -----------------------------------------------------------------------------


@FAST
@given(markdownish, st.integers(min_value=1, max_value=5000))
def test_parse_body_classifies_anything(text: str, first_line: int) -> None:
    result = parse_body(text, first_line)
    assert result.kind in BODY_KINDS
    if result.kind == "json":
        json.dumps(result.value)  # a plain JSON value, whatever was repaired
    last = first_line + text.count("\n")
    assert all(first_line <= r.line <= last for r in result.repairs if r.line is not None)
    assert result.error_line is None or first_line <= result.error_line <= last


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@FAST
@given(
    st.lists(json_values, max_size=4)
    | st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    st.sampled_from([None, 2, 4]),
    st.booleans(),
)
def test_valid_json_comes_back_unchanged_and_unrepaired(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    result = parse_body(text, 7)
    assert (result.kind, result.value, result.repairs, result.error) == ("json", value, [], None)


@FAST
@given(markdownish)
def test_parse_lenient_object_gives_an_object_or_an_error(text: str) -> None:
    result = parse_lenient_object(text, 3)
    assert isinstance(result.value, dict) if result.kind == "json" else result.error is not None


# --- HTTP blocks -------------------------------------------------------------------------------


@FAST
@given(markdownish, st.integers(min_value=1, max_value=5000))
def test_parse_http_message_never_raises(text: str, first_line: int) -> None:
    message, problems = parse_http_message(text, first_line)
    last = first_line + text.count("\n")
    assert all(line is None or first_line <= line <= last for _, line in problems)
    if message is not None:
        assert message.kind in ("request", "response")
        assert message.body_line is None or first_line <= message.body_line <= last


request_paths = st.from_regex(r"/[a-z]{1,8}(/[a-z{}]{1,8}){0,3}", fullmatch=True)


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(["GET", "POST", "PATCH", "DELETE"]), request_paths),
             min_size=1, max_size=8),
    st.integers(min_value=1, max_value=5000),
)  # fmt: skip
def test_request_lines_come_back_with_their_page_lines(
    requests: list[tuple[str, str]], first_line: int
) -> None:
    text = "\n\n".join(f"{method} {path}" for method, path in requests)
    lines, problems = parse_request_lines(text, first_line)
    assert problems == []
    assert [(r.method, r.path, r.line) for r in lines] == [
        (method, path, first_line + 2 * index) for index, (method, path) in enumerate(requests)
    ]


@FAST
@given(markdownish)
def test_parse_request_lines_never_raises(text: str) -> None:
    lines, problems = parse_request_lines(text, 10)
    assert all(line.method and 10 <= line.line <= 10 + text.count("\n") for line in lines)
    assert all(isinstance(problem, str) for problem in problems)


# --- type cells --------------------------------------------------------------------------------


@FAST
@given(markdownish)
def test_parse_type_cell_never_raises(cell: str) -> None:
    ref, problem = parse_type_cell(cell)
    assert ref.raw == cell.strip()
    assert ref.type is None or (ref.type and "\n" not in ref.type)
    assert problem is None or isinstance(problem, str)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("String", ("Edm.String", False)),
        ("Int32 collection", ("Edm.Int32", True)),
        ("Collection(String)", ("Edm.String", True)),
        ("[call](call.md)", ("microsoft.graph.call", False)),
    ],
)
def test_plain_type_cells(cell: str, expected: tuple[str, bool]) -> None:
    ref, _ = parse_type_cell(cell)
    assert (ref.type, ref.collection) == expected


# --- whole pages -------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_sound_record(data: bytes) -> None:
    assert_sound(worker_record("random.md", data), "random.md", data)


@FAST
@given(markdownish)
def test_random_markdown_gives_a_sound_record(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8
    assert_sound(worker_record("docs/v1.0/api/random.md", data), "docs/v1.0/api/random.md", data)


def test_empty_file() -> None:
    record = worker_record("empty.md", b"")
    assert_sound(record, "empty.md", b"")
    assert (record.kind, record.title, record.examples) == ("unknown", "", [])
    assert rules(record) == Counter(["doc-type-missing", "no-title", "version-unknown"])


def test_binary_file() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    record = worker_record("image.md", data)
    assert_sound(record, "image.md", data)
    found = [
        (d.rule, d.line) for d in record.diagnostics if d.rule in ("invalid-utf8", "nul-bytes")
    ]
    assert found == [("invalid-utf8", 1), ("nul-bytes", 3)]


def test_invalid_utf8_and_nul_bytes_are_named_with_their_lines() -> None:
    data = b"# Get call\n\nline three \xff\xfe\nline four\x00\n"
    record = worker_record("page.md", data)
    assert_sound(record, "page.md", data)
    found = [
        (d.rule, d.line) for d in record.diagnostics if d.rule in ("invalid-utf8", "nul-bytes")
    ]
    assert found == [("invalid-utf8", 3), ("nul-bytes", 4)]
    assert record.title == "Get call"


def test_bom_and_old_mac_line_ends() -> None:
    data = b"\xef\xbb\xbf# Get call\r\rText.\r## Response\rReturns `200 OK`.\r"
    record = worker_record("page.md", data)
    assert_sound(record, "page.md", data)
    assert [(s.title, s.line) for s in record.sections] == [("Get call", 1), ("Response", 4)]


# --- what a record must be able to hold ----------------------------------------------------------


def _fenced(body: str) -> bytes:
    return f"# Get call\n\n```json\n{body}\n```\n".encode()


@pytest.mark.parametrize(
    "body", ["[" * 300 + "]" * 300, "[" * 10_000, '{"a":' * 500 + "1" + "}" * 500]
)
def test_a_body_nested_too_deep_for_json_output_is_kept_as_text(body: str) -> None:
    """Pydantic writes about 250 levels and reads about 200: once this cost the whole build."""
    data = _fenced(body)
    record = worker_record("deep.md", data)
    assert_sound(record, "deep.md", data)
    example = record.examples[0]
    assert (example.body_kind, example.json_value, example.raw_body) == ("text", None, body + "\n")
    assert [(d.rule, d.line) for d in record.diagnostics if d.rule == "body-too-deep"] == [
        ("body-too-deep", 3)
    ]


def test_a_body_nested_100_levels_is_kept() -> None:
    record = worker_record("deep.md", _fenced("[" * 100 + "]" * 100))
    value = record.examples[0].json_value
    for _ in range(99):
        value = value[0]
    assert value == []


@pytest.mark.parametrize(
    ("page", "rule", "check"),
    [
        (
            '# t\n\n```json\n{"name": "\\ud800x"}\n```\n',
            "body-invalid-unicode",
            lambda record: record.examples[0].json_value == {"name": "\ufffdx"},
        ),
        (
            '# t\n\n```http\nPOST /me\nContent-Type: application/json\n\n{"a": "\\udc00"}\n```\n',
            "body-invalid-unicode",
            lambda record: record.examples[0].json_value == {"a": "\ufffd"},
        ),
        (
            '# t\n\n<!-- {"blockType": "request", "name": "a\\ud800"} -->\n```http\nGET /me\n```\n',
            "annotation-invalid-unicode",
            lambda record: record.examples[0].name == "a\ufffd",
        ),
        (
            '# t\n\n<!-- {"blockType": "request", "x": '
            + "[" * 400
            + " -->\n```http\nGET /me\n```\n",
            "annotation-too-deep",
            lambda record: record.examples[0].annotation == {},
        ),
    ],
)
def test_values_json_cannot_write_are_repaired_with_a_warning(
    page: str, rule: str, check: Callable[[PageRecord], bool]
) -> None:
    """A lone surrogate escape (``"\\ud800"``) made model_dump_json raise in the worker."""
    data = page.encode()
    record = worker_record("page.md", data)
    assert_sound(record, "page.md", data)
    assert rules(record)[rule] == 1
    assert check(record)


@pytest.mark.parametrize(
    ("front_matter", "kept", "dropped"),
    [
        ("title: t\nms.date: 2021-13-45", {"title": "t", "ms.date": "2021-13-45"}, []),
        ("title: t\nloop: &x [*x]", {"title": "t"}, ["loop"]),
        ("title: t\ndeep: " + "[" * 300 + "]" * 300, {"title": "t"}, ["deep"]),
        (
            "title: t\na: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
                for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            {"title": "t", "a": ["x"] * 9, "c": [[["x"] * 9] * 9] * 9},
            ["d", "e", "f", "g", "h", "i"],  # 820 values are kept, 7,381 are too many
        ),
    ],
    ids=["impossible-date", "alias-cycle", "too-deep", "billion-laughs"],
)
def test_front_matter_json_cannot_hold_is_dropped_with_a_warning(
    front_matter: str, kept: dict[str, Any], dropped: list[str]
) -> None:
    data = f"---\n{front_matter}\n---\n# Get call\n".encode()
    record, seconds = cpu_seconds(lambda: worker_record("page.md", data))
    assert_sound(record, "page.md", data)
    assert seconds < 2
    assert {key: record.front_matter[key] for key in kept} == kept
    assert not set(dropped) & set(record.front_matter)
    messages = [d.message for d in record.diagnostics if d.rule == "front-matter-invalid"]
    assert [m for m in messages if "dropped" in m] == [
        f"front matter {key!r}: nested too deep, too large or cyclic; dropped" for key in dropped
    ]


def test_front_matter_with_a_lone_surrogate_escape_stays_writable() -> None:
    """PyYAML's Python loader decodes ``"\\ud800"`` to a lone surrogate (replaced by U+FFFD);
    libyaml refuses it, and the line-wise reading keeps the escape as text."""
    data = b'---\ndoc_type: apiPageType\ntitle: "\\ud800"\n---\n# Get call\n'
    record = worker_record("page.md", data)
    assert_sound(record, "page.md", data)
    assert record.front_matter["title"] in ("\ufffd", "\\ud800")
    assert record.front_matter["doc_type"] == "apiPageType"


@pytest.mark.parametrize(
    "front_matter",
    ["a: " + "[" * 100_000, "- " * 100_000 + "x", "? " * 100_000, "a: " + "{a: " * 100_000],
    ids=["flow-sequences", "block-sequences", "complex-keys", "flow-mappings"],
)
def test_front_matter_nested_100k_deep_does_not_kill_the_process(front_matter: str) -> None:
    """libyaml recurses in C and overflowed the stack (SIGSEGV) at about 30,000 levels.

    Run in a child process: a regression must fail this test, not kill the test run.
    """
    code = (
        "import sys; from extractor.read.pages import build_record; "
        "r = build_record('p.md', sys.stdin.buffer.read()); "
        "print(sorted({d.rule for d in r.diagnostics}))"
    )
    data = f"---\n{front_matter}\n---\n# Get call\n".encode()
    done = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert "front-matter-invalid" in done.stdout.decode()


def test_a_record_that_cannot_be_written_becomes_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last line of defence: the worker returns a record instead of raising."""

    def unwritable(path: str, data: bytes) -> PageRecord:
        example = Example(id="x", role="other", line=1, json="\udfff")
        return PageRecord(source=SourceInfo(path=path, sha256=""), examples=[example])

    monkeypatch.setattr(extract, "build_record", unwritable)
    record = PageRecord.model_validate_json(record_from_bytes("bad.md", b"# x\n"))
    assert record.source.path == "bad.md"
    assert record.source.sha256 == hashlib.sha256(b"# x\n").hexdigest()
    assert [(d.rule, d.severity, d.path) for d in record.diagnostics] == [
        ("internal-error", "error", "bad.md")
    ]
    assert record.diagnostics[0].message.startswith("the record could not be written: ")


# --- pathological input: linear time ------------------------------------------------------

RESOURCE = "---\ndoc_type: resourcePageType\n---\n# thing resource type\n"
API = "---\ndoc_type: apiPageType\n---\n# Get thing\n"
PROPERTIES = "## Properties\n| Property | Type | Description |\n|---|---|---|\n"


def _pathological() -> dict[str, tuple[str, Callable[[PageRecord], Any], Any]]:
    """Page text, what to read from its record, and what that must be."""
    return {
        "100k-unclosed-spans": (
            '<span data-ttu-id="abcde-1">x' * 100_000,
            lambda r: rules(r)["segment-malformed"],
            100_000,
        ),
        "100k-spans-without-closer": (
            '<span data-ttu-id="abcde-1">x</span><span class="sxs-lookup">'
            '<span data-stu-id="abcde-1">y' * 100_000,
            lambda r: (rules(r)["segment-malformed"], rules(r)["segment-leftover"]),
            (100_000, 3),
        ),
        "10k-nested-brackets": (
            "# t\n\n```json\n" + "[" * 10_000 + "\n```\n",
            lambda r: (r.examples[0].body_kind, rules(r)["body-too-deep"]),
            ("text", 1),
        ),
        "100k-table-rows": (
            "| a | b | c |\n|---|---|---|\n" + "| x | String | d |\n" * 100_000,
            lambda r: (r.kind, sorted(rules(r))),
            ("unknown", ["doc-type-missing", "no-title", "version-unknown"]),
        ),
        "50k-unclosed-comments": (
            "<!--\n" * 50_000,
            lambda r: rules(r)["comment-unclosed"],
            1,
        ),
        "50k-unclosed-annotations": (
            "<!-- {\n" * 50_000 + "```json\n{}\n```\n",
            lambda r: (rules(r)["comment-unclosed"], r.examples),
            (1, []),
        ),
        "100k-backticks": ("`" * 100_000, lambda r: r.examples, []),
        "100k-fence-lines": ("```\n" * 100_000, lambda r: r.examples, []),
        "10MB-line": ("a" * 10_000_000, lambda r: (r.kind, r.title), ("unknown", "")),
        "10MB-of-pipes": ("|" * 10_000_000, lambda r: r.sections, []),
        "10MB-json-line": (
            '# t\n\n```json\n["' + "x" * 10_000_000 + '"]\n```\n',
            lambda r: len(r.examples[0].json_value[0]),
            10_000_000,
        ),
        "100k-brackets-in-a-name-cell": (
            RESOURCE + PROPERTIES + "| a" + "[" * 100_000 + " | String | d |\n",
            lambda r: len(r.type.properties),
            1,
        ),
        "100k-spaces-in-a-name-cell": (
            RESOURCE + PROPERTIES + "| a" + " " * 100_000 + "b | String | d |\n",
            lambda r: [p.name for p in r.type.properties],
            ["a"],
        ),
        "100k-spaces-in-a-heading": (
            "# a" + " " * 100_000 + "b ##\n",
            lambda r: r.title,
            "a b",
        ),
        "100k-open-links-in-a-response": (
            API + "## Response\n" + "[a](" * 100_000 + "\n",
            lambda r: r.operation.response.status,
            None,
        ),
        "50k-properties-sections": (
            RESOURCE + "## Properties\n" * 50_000 + PROPERTIES + "| a | String | d |\n",
            lambda r: [(p.name, p.line) for p in r.type.properties],
            [("a", 50_008)],
        ),
        "30k-response-sections": (
            API + "## Response\nReturns `200 OK`.\n" * 30_000,
            lambda r: r.operation.response.status,
            200,
        ),
        "30k-distinct-properties": (
            RESOURCE + PROPERTIES + "".join(f"| p{i} | Int32 | d |\n" for i in range(30_000)),
            lambda r: (len(r.type.properties), r.type.properties[-1].name),
            (30_000, "p29999"),
        ),
        "30k-distinct-parameters": (
            API + "## Request body\n| Parameter | Type | Description |\n|---|---|---|\n"
            + "".join(f"| p{i} | String | d |\n" for i in range(30_000)),
            lambda r: (len(r.operation.parameters), r.operation.parameters[-1].name),
            (30_000, "p29999"),
        ),
        "100k-request-lines": (
            API + "## HTTP request\n```http\n"
            + "".join(f"GET /things/t{i}\n" for i in range(100_000)) + "```\n",
            lambda r: (len(r.operation.paths), r.operation.paths[-1].line),
            (100_000, 100_006),
        ),
        "100k-permissions": (
            API + "## Permissions\n| Permission type | Permissions |\n|---|---|\n"
            + "| Delegated (work or school account) | "
            + ", ".join(f"P{i}.Read" for i in range(100_000)) + " |\n",
            lambda r: len(r.operation.permissions.delegated_work),
            100_000,
        ),
    }  # fmt: skip


PATHOLOGICAL = _pathological()


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_page_finishes_in_linear_time(name: str) -> None:
    text, read, expected = PATHOLOGICAL[name]
    data = text.encode()
    record, seconds = cpu_seconds(lambda: worker_record(f"{name}.md", data))
    assert seconds < CPU_SECONDS, f"{name} took {seconds:.1f} s of CPU"
    assert read(record) == expected
    assert [d.message for d in record.diagnostics if d.rule == "internal-error"] == []


STAGE_INPUTS = {
    "10k-nested-brackets": "[" * 10_000 + "]" * 10_000,
    "10k-unclosed-objects": '{"a":' * 10_000,
    "100k-commas": "[" + "," * 100_000,
    "100k-quotes": '{"' + '"' * 100_000,
    "100k-comment-openers": "{" + "/*" * 100_000,
    "10MB-line": "a" * 10_000_000,
    "100k-backticks": "`" * 100_000,
    "100k-header-lines": "POST /me\n" + "A: b\n" * 100_000,
    "100k-or-words": "String or " * 100_000,
    "100k-collections": "Collection(" * 100_000,
}
STAGES: dict[str, Callable[[str], Any]] = {
    "parse_body": lambda text: parse_body(text, 1),
    "parse_lenient_object": lambda text: parse_lenient_object(text, 1),
    "parse_http_message": lambda text: parse_http_message(text, 1),
    "parse_request_lines": lambda text: parse_request_lines(text, 1),
    "parse_type_cell": parse_type_cell,
    "split_segments": split_segments,
    "parse_document": parse_document,
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_is_linear_on_pathological_text(stage: str) -> None:
    slow = {}
    for name, text in STAGE_INPUTS.items():
        _, seconds = cpu_seconds(lambda text=text: STAGES[stage](text))
        if seconds >= CPU_SECONDS / 4:
            slow[name] = round(seconds, 1)
    assert slow == {}


def test_deeply_nested_json_parses_without_recursion() -> None:
    result = parse_body("[" * 10_000 + "]" * 10_000, 1)
    assert (result.kind, result.repairs) == ("json", [])
    depth, value = 0, result.value
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 9_999
