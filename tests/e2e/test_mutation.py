"""200 real pages, mutated the ways real files break, still give records.

Every run mutates the same 200 zh-CN pages the same way (a fixed seed): cut anywhere,
bytes flipped, spans unbalanced, fences unterminated, annotations broken, invalid UTF-8,
NUL bytes, line endings changed, lines shuffled, a megabyte line. Each mutated page must
give a record of its own path with well-formed diagnostics and no ``internal-error`` (the
stages themselves did not raise), and must survive the trip through JSON that a worker's
result takes. The records of all mutated pages must then still reconcile and render.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from extractor.engine.records import record_from_bytes
from extractor.schema import PageRecord

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ZH_CN = CORPUS / "zh-CN"
SEED = 20261122
PAGE_COUNT = 200

Mutation = Callable[[bytes, random.Random], bytes]

pytestmark = pytest.mark.slow


def _sample() -> list[tuple[str, int]]:
    """The pages of this run and a seed for each, both drawn from the fixed seed."""
    if not ZH_CN.is_dir():
        return []
    rng = random.Random(SEED)
    pages = sorted(path.relative_to(CORPUS).as_posix() for path in ZH_CN.rglob("*.md"))
    return [(page, rng.getrandbits(64)) for page in rng.sample(pages, PAGE_COUNT)]


# --- mutations -------------------------------------------------------------------------


def _positions(data: bytes, needle: bytes) -> list[int]:
    found, start = [], data.find(needle)
    while start != -1:
        found.append(start)
        start = data.find(needle, start + 1)
    return found


def cut(data: bytes, rng: random.Random) -> bytes:
    """Truncated anywhere, even inside a UTF-8 sequence or a span tag."""
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        if buffer:
            buffer[rng.randrange(len(buffer))] ^= rng.randint(1, 255)
    return bytes(buffer)


def unbalance_spans(data: bytes, rng: random.Random) -> bytes:
    """Closers dropped and stray openers added: segments that never close."""
    buffer = data
    for _ in range(rng.randint(1, 8)):
        closers = _positions(buffer, b"</span>")
        if closers and rng.random() < 0.6:
            at = rng.choice(closers)
            buffer = buffer[:at] + buffer[at + len(b"</span>") :]
        else:
            at = rng.randrange(len(buffer) + 1)
            opener = f'<span data-ttu-id="{rng.getrandbits(20):05x}-{rng.randint(1, 99)}">'
            buffer = buffer[:at] + opener.encode() + buffer[at:]
    return buffer


def unterminate_fence(data: bytes, rng: random.Random) -> bytes:
    """A closing ``` removed (or an opener added at the end): the fence runs to the end."""
    lines = data.split(b"\n")
    fences = [index for index, line in enumerate(lines) if line.strip().startswith(b"```")]
    if not fences or rng.random() < 0.2:
        return data + b'\n```json\n{"a": [1, 2,\n'
    for index in sorted(rng.sample(fences, min(len(fences), rng.randint(1, 3))), reverse=True):
        del lines[index]
    return b"\n".join(lines)


def break_annotations(data: bytes, rng: random.Random) -> bytes:
    """Annotation comments without their closer, or with their JSON cut open."""
    buffer = data
    comments = _positions(buffer, b"<!--")
    for at in sorted(rng.sample(comments, min(len(comments), rng.randint(1, 4))), reverse=True):
        end = buffer.find(b"-->", at)
        if end == -1:
            continue
        if rng.random() < 0.5:
            buffer = buffer[:end] + buffer[end + 3 :]  # never closed
        else:
            inner = rng.randrange(at + 4, end + 1)
            buffer = buffer[:inner] + rng.choice([b"{", b"}", b'"', b",", b"\n"]) + buffer[inner:]
    if not comments:
        buffer += b'\n<!-- { "blockType": "request", "name": '
    return buffer


def invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    """Stray lead and continuation bytes, always one 0xFF (never valid in UTF-8)."""
    buffer = data
    for count in range(rng.randint(1, 10)):
        at = rng.randrange(len(buffer) + 1)
        junk = rng.choice([b"\xfe\xfe", b"\xc3", b"\xe4\xb8", b"\x80"]) if count else b"\xff"
        buffer = buffer[:at] + junk + buffer[at:]
    return buffer


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = data
    for _ in range(rng.randint(1, 10)):
        at = rng.randrange(len(buffer) + 1)
        buffer = buffer[:at] + b"\x00" * rng.randint(1, 3) + buffer[at:]
    return buffer


def line_endings(data: bytes, rng: random.Random) -> bytes:
    """CRLF or old-Mac CR line ends, with a byte order mark in front."""
    ending = rng.choice([b"\r\n", b"\r"])
    return b"\xef\xbb\xbf" + data.replace(b"\n", ending)


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    """Runs of lines moved, duplicated or dropped: sections and tables out of place."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        if len(lines) < 2:
            break
        start = rng.randrange(len(lines))
        end = min(len(lines), start + rng.randint(1, 30))
        chunk = lines[start:end]
        choice = rng.random()
        if choice < 0.4:
            del lines[start:end]
            at = rng.randrange(len(lines) + 1)
            lines[at:at] = chunk
        elif choice < 0.7:
            lines[end:end] = chunk
        else:
            del lines[start:end]
    return b"\n".join(lines)


def huge_line(data: bytes, rng: random.Random) -> bytes:
    """A one-megabyte line (table pipes, brackets or plain text) spliced in."""
    unit = rng.choice([b"a", b"|", b"[", b"`", b"<span ", b"{", b"| x "])
    line = unit * (1_000_000 // len(unit))
    lines = data.split(b"\n")
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


MUTATIONS: dict[str, Mutation] = {
    "cut": cut,
    "flip-bytes": flip_bytes,
    "unbalance-spans": unbalance_spans,
    "unterminate-fence": unterminate_fence,
    "break-annotations": break_annotations,
    "invalid-utf8": invalid_utf8,
    "nul-bytes": nul_bytes,
    "line-endings": line_endings,
    "shuffle-lines": shuffle_lines,
}


def mutants(page: str, seed: int) -> list[tuple[str, bytes]]:
    """Each mutation of the page on its own, then three of them stacked."""
    data = (CORPUS / page).read_bytes()
    rng = random.Random(seed)
    result = [(name, mutate(data, rng)) for name, mutate in MUTATIONS.items()]
    stacked = data
    names = rng.sample(sorted(MUTATIONS), 3)
    for name in names:
        stacked = MUTATIONS[name](stacked, rng)
    result.append(("+".join(names), stacked))
    if seed % 10 == 0:  # a megabyte line costs time: one page in ten gets one
        result.append(("huge-line", huge_line(data, rng)))
    return result


# --- what every record must satisfy ------------------------------------------------------


def page_lines(data: bytes) -> int:
    """Lines of the page as the pipeline counts them (CR and CRLF end lines too)."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def record_problems(record: PageRecord, path: str, data: bytes) -> list[str]:
    """Everything wrong with a record of ``data`` read at ``path`` (empty when it is sound)."""
    problems: list[str] = []
    last = page_lines(data)

    def check_line(line: int | None, what: str) -> None:
        if line is not None and not 1 <= line <= last:
            problems.append(f"{what}: line {line} outside 1..{last}")

    if record.source.path != path:
        problems.append(f"source.path is {record.source.path!r}")
    if record.source.sha256 != hashlib.sha256(data).hexdigest():
        problems.append("source.sha256 is not the hash of the bytes")
    for diagnostic in record.diagnostics:
        if diagnostic.rule == "internal-error":
            problems.append(f"internal-error: {diagnostic.message}")
        if diagnostic.path != path:
            problems.append(f"{diagnostic.rule}: path {diagnostic.path!r}")
        if not diagnostic.rule or not diagnostic.message.strip():
            problems.append(f"empty rule or message: {diagnostic!r}")
        check_line(diagnostic.line, f"diagnostic {diagnostic.rule}")
    for section in record.sections:
        check_line(section.line, f"section {section.title[:30]!r}")
    for example in record.examples:
        check_line(example.line, f"example {example.id}")
        check_line(example.end_line, f"example {example.id} end")
        if example.end_line is not None and example.end_line < example.line:
            problems.append(f"example {example.id} ends before it starts")
        for repair in example.repairs:
            check_line(repair.line, f"repair {repair.kind} of {example.id}")
    if record.operation is not None:
        for request_path in record.operation.paths:
            check_line(request_path.line, f"path {request_path.path[:40]!r}")
        for parameter in record.operation.parameters:
            check_line(parameter.line, f"parameter {parameter.name[:40]!r}")
    if record.type is not None:
        for item in [*record.type.properties, *record.type.relationships]:
            check_line(item.line, f"property {item.name[:40]!r}")
    return problems


def through_worker(path: str, data: bytes) -> PageRecord:
    """The record as extract_records gets it: written to JSON in a worker, read back."""
    return PageRecord.model_validate_json(record_from_bytes(path, data))


@cache
def mutated_records(page: str, seed: int) -> list[tuple[str, bytes, PageRecord]]:
    return [(name, data, through_worker(page, data)) for name, data in mutants(page, seed)]


SAMPLE = _sample()


@pytest.mark.parametrize(("page", "seed"), SAMPLE, ids=[page for page, _ in SAMPLE])
def test_mutated_page_gives_a_sound_record(page: str, seed: int) -> None:
    failures = []
    for name, data, record in mutated_records(page, seed):
        failures += [f"{name}: {problem}" for problem in record_problems(record, page, data)]
        rules = {diagnostic.rule for diagnostic in record.diagnostics}
        if name == "invalid-utf8":
            first_bad = _first_invalid_byte(data)
            assert first_bad is not None
            expected = ("invalid-utf8", data[:first_bad].count(b"\n") + 1)
            found = [(d.rule, d.line) for d in record.diagnostics if d.rule == "invalid-utf8"]
            assert found == [expected], name
        if name == "nul-bytes":
            assert "nul-bytes" in rules, name
    assert failures == []


def _first_invalid_byte(data: bytes) -> int | None:
    try:
        data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    return None


def test_mutated_records_still_reconcile_and_render() -> None:
    """Later stages take whatever the pages gave: every mutant of every page at once."""
    if not SAMPLE:
        pytest.skip("the real corpus (../shared/corpus) is not here")
    from extractor.engine.rendering import render_outputs
    from extractor.reconcile import reconcile

    records = [
        record.model_copy(
            update={"source": record.source.model_copy(update={"path": f"{page}#{name}"})}
        )
        for page, seed in SAMPLE
        for name, _, record in mutated_records(page, seed)
    ]
    files, result = render_outputs(reconcile(records))
    kept = {diagnostic.model_dump_json() for diagnostic in result.diagnostics}
    lost = [
        diagnostic
        for record in records
        for diagnostic in record.diagnostics
        if diagnostic.model_dump_json() not in kept
    ]
    assert lost == []
    paths = {record.source.path for record in records}
    assert {fixture.source_path for fixture in result.fixtures} <= paths
    assert {"spec.json", "diagnostics.json", "diagnostics.sarif"} <= set(files)


def test_the_sample_is_fixed() -> None:
    """The same 200 pages every run, so a failure can be replayed."""
    if not SAMPLE:
        pytest.skip("the real corpus (../shared/corpus) is not here")
    assert len(SAMPLE) == PAGE_COUNT == len({page for page, _ in SAMPLE})
    assert [page for page, _ in SAMPLE[:3]] == [
        "zh-CN/api-reference/v1.0/api/nameditem-range.md",
        "zh-CN/api-reference/v1.0/api/educationassignmentdefaults-get.md",
        "zh-CN/api-reference/beta/api/oauth2permissiongrant-delete.md",
    ]
    assert all(page.startswith("zh-CN/api-reference/") for page, _ in SAMPLE)
