"""Measure the pipeline against the floor on the real corpus (issue: speed and scale).

F, the floor: one process reads every page, replaces segments by their English and parses
the result with markdown-it-py (a fresh interpreter each round). Then, each as a fresh
``extractor build`` process:
a cold build (``-j 2``, empty cache), a warm build (nothing changed), a build after one
page's text changed (a sentence of a resource page's description is edited, so the spec,
OpenAPI, models and diff change), a build after one page was touched without changing
what it says (a comment added); peak memory; and the five slowest pages. Prints each time,
its ratio to F and the build's own stage times.

This machine's speed drifts by a fifth from one minute to the next, so a single F against
a single build can land on either side of a target for reasons of its own: the benchmark
runs several rounds, each build compared with the F of its own round, and the median ratio
decides.

The corpus is read through a farm of symlinks in a temporary directory so that one page
can be changed without touching ../shared/corpus.

    python benchmarks/bench.py [--corpus ../shared/corpus/zh-CN] [--jobs 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import compileall
import glob
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "zh-CN"
TARGETS = {"cold": 1.0, "warm": 0.1, "one page changed": 0.15, "one page touched": 0.15}
_ENGLISH = re.compile(r'(<span class="sxs-lookup"><span data-stu-id="[^"]*">)')


def pages_of(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.md") if path.is_file())


def floor(pages: list[Path]) -> float:
    from markdown_it import MarkdownIt

    from extractor.read.bilingual import split_segments

    parser = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    for page in pages:
        parser.parse(split_segments(page.read_bytes().decode("utf-8", "replace")).english)
    return time.perf_counter() - started


def slowest_pages(pages: list[Path], count: int = 5) -> list[tuple[float, str]]:
    from extractor.read.pages import build_record

    timings = []
    for page in pages:
        data = page.read_bytes()
        started = time.perf_counter()
        build_record(page.as_posix(), data)
        timings.append((time.perf_counter() - started, page.as_posix()))
    return sorted(timings, reverse=True)[:count]


def farm(source: Path, target: Path) -> None:
    """Mirror ``source`` under ``target`` with a symlink per page."""
    for page in pages_of(source):
        link = target / page.relative_to(source)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(page)


def edited_page(pages: list[Path]) -> Path:
    """The v1.0 resource page nearest the middle of the v1.0 pages whose description the edit
    changes. A v1.0 page, because the spec takes a type's description from v1.0 when both
    versions have the type: an edit to a beta page's description can change no output."""
    from extractor.read.pages import build_record

    def description(page: Path, text: str) -> str | None:
        record = build_record(page.as_posix(), text.encode("utf-8"))
        return record.type.description if record.type is not None else None

    candidates = [page for page in pages if "/v1.0/resources/" in page.as_posix()]
    middle = len(candidates) // 2
    for page in [*candidates[middle:], *candidates[:middle]]:
        text = page.read_text(encoding="utf-8")
        before = description(page, text)
        if before and description(page, edit_text(text)) != before:
            return page
    return pages[middle]


def edit_text(text: str) -> str:
    """The page with its third English sentence (the description, after title and namespace)
    changed: a real edit, which the spec, OpenAPI and models of both versions show."""
    spans = list(_ENGLISH.finditer(text))
    span = spans[min(2, len(spans) - 1)] if spans else None
    if span is None:
        return text + "\nAn added sentence.\n"
    return text[: span.end()] + "Edited for the benchmark. " + text[span.end() :]


def replace_link(link: Path, text: str) -> None:
    """Write ``text`` in place of the symlink (the shared corpus is never touched)."""
    link.unlink()
    link.write_text(text, encoding="utf-8")


def timed_build(corpus: Path, out: Path, cache: Path, jobs: int) -> tuple[float, int]:
    """Wall seconds of one ``extractor build`` and its peak RSS (KiB, largest process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor",
            "build",
            str(corpus),
            "-o",
            str(out),
            "-j",
            str(jobs),
            "--cache-dir",
            str(cache),
        ],
        cwd=corpus.parent,
        env={**os.environ, "EXTRACTOR_TIMINGS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stderr[-3000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(result.stderr)
    settle(out, cache)
    return elapsed, peak


def settle(out: Path, cache: Path) -> None:
    """Wait for a build's detached work (deleting an old tree, linking the first build's
    spare, keeping the reconciliation for the next build) to end, and for the page cache to
    be written back, so that each build is measured alone, as builds minutes apart would
    run; the time waited is printed apart."""
    from extractor.engine.state import keeping_marker

    started = time.perf_counter()
    patterns = [
        str(out.parent / f".{out.name}.trash-*"),
        str(out.parent / f".{out.name}.spare-making-*"),
        keeping_marker(cache),
    ]
    while any(glob.glob(pattern) for pattern in patterns) and time.perf_counter() - started < 120:
        time.sleep(0.05)
    # and for the kernel to write back what they and the build left in the page cache
    # (half a gigabyte after a cold build), as it has minutes later
    os.sync()
    waited = time.perf_counter() - started
    if waited > 0.05:
        sys.stderr.write(f"(detached work after the build: {waited:.2f} s more)\n")


def compile_bytecode() -> None:
    """Compile extractor's bytecode, as installing a wheel does. A checkout's first run
    writes it too, unless PYTHONDONTWRITEBYTECODE is set (as in this project's sandbox):
    every build then compiled the package again, 0.08 s of each."""
    import extractor

    compileall.compile_dir(Path(extractor.__file__).parent, quiet=1)


def floor_in_process(corpus: Path) -> float:
    """F measured in a fresh interpreter, as each build runs in one."""
    result = subprocess.run(
        [sys.executable, __file__, "--corpus", str(corpus), "--floor-only"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip())


def one_round(
    corpus_source: Path, pages: list[Path], work: Path, jobs: int, number: int
) -> tuple[float, dict[str, float], int]:
    """F, then each build of the round (its own corpus farm, cache and output), and the
    largest peak RSS of its builds (KiB)."""
    f = floor_in_process(corpus_source)
    print(f"round {number}: F (floor: read + English + markdown-it parse, 1 process) {f:.2f} s")
    corpus, out, cache = work / "corpus", work / "output", work / "cache"
    farm(corpus_source, corpus)
    times: dict[str, float] = {}
    peaks = []
    times["cold"], peak = timed_build(corpus, out, cache, jobs)
    peaks.append(peak)
    times["warm"], peak = timed_build(corpus, out, cache, jobs)
    peaks.append(peak)
    changed = corpus / edited_page(pages).relative_to(corpus_source)
    original = changed.read_text(encoding="utf-8")
    replace_link(changed, edit_text(original))
    times["one page changed"], peak = timed_build(corpus, out, cache, jobs)
    peaks.append(peak)
    shown = "Edited for the benchmark" in (out / "spec.json").read_text(encoding="utf-8")
    print(
        f"round {number}: edited {changed.relative_to(corpus)}; the edit shows in spec.json: "
        + ("yes" if shown else "NO (the edit changed no output)")
    )
    replace_link(changed, edit_text(original) + "\n<!-- reviewed for the benchmark -->\n")
    times["one page touched"], peak = timed_build(corpus, out, cache, jobs)
    peaks.append(peak)
    for name, seconds in times.items():
        print(f"round {number}: {name:>17} {seconds:6.2f} s = {seconds / f:5.2f} x F")
    return f, times, max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="Rounds of F and the four builds; verdicts go by the median ratio to F.",
    )
    parser.add_argument("--skip-slowest", action="store_true")
    parser.add_argument("--floor-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = pages_of(args.corpus)
    if args.floor_only:
        print(f"{floor(pages):.4f}")
        return
    print(f"corpus: {args.corpus} ({len(pages)} pages), {args.rounds} rounds")
    compile_bytecode()

    # Trees are deleted only at the end: on ext4 without a journal, files created in the
    # minutes after a large tree was deleted are slow to create, which would slow the
    # next round's cold build for reasons of its own.
    works = []
    rounds = []
    try:
        for number in range(1, args.rounds + 1):
            works.append(Path(tempfile.mkdtemp(prefix="extractor-bench-")))
            rounds.append(one_round(args.corpus, pages, works[-1], args.jobs, number))
    finally:
        for work in works:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nsummary over {len(rounds)} rounds (ratio to that round's F; median decides):")
    floors = [f for f, _, _ in rounds]
    print(f"{'F':>17}: " + ", ".join(f"{f:.2f} s" for f in floors))
    for name, target in TARGETS.items():
        seconds = [times[name] for _, times, _ in rounds]
        ratios = [times[name] / f for f, times, _ in rounds]
        median = statistics.median(ratios)
        verdict = "ok" if median <= target else "MISSED"
        met = sum(ratio <= target for ratio in ratios)
        print(
            f"{name:>17}: "
            + ", ".join(f"{s:.2f} s ({r:.2f})" for s, r in zip(seconds, ratios, strict=True))
            + f"; median {median:.2f} x F (target <= {target}: {verdict}, met in {met} of "
            + f"{len(ratios)})"
        )
    peak = max(peak for _, _, peak in rounds)
    print(f"peak RSS (largest process): {peak / 1024:.0f} MiB (target <= 2048 MiB)")

    if not args.skip_slowest:
        print("five slowest pages (build_record, one process):")
        for seconds, path in slowest_pages(pages):
            print(f"  {seconds:6.3f} s  {os.path.relpath(path, args.corpus)}")


if __name__ == "__main__":
    main()
