"""Measure the pipeline against the floor on the real corpus (issue: speed and scale).

F, the floor: one process reads every page, replaces segments by their English and parses
the result with markdown-it-py. Then, each as a fresh ``extractor build`` process:
a cold build (``-j 2``, empty cache), a warm build (nothing changed), and a build after one
page changed; peak memory; and the five slowest pages. Prints each time and its ratio to F.

The corpus is read through a farm of symlinks in a temporary directory so that one page
can be changed without touching ../shared/corpus.

    python benchmarks/bench.py [--corpus ../shared/corpus/zh-CN] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "zh-CN"
TARGETS = {"cold": 1.0, "warm": 0.1, "one page changed": 0.15}


def pages_of(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.md") if path.is_file())


def floor(pages: list[Path]) -> float:
    from markdown_it import MarkdownIt

    from extractor.bilingual import split_segments

    parser = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    for page in pages:
        parser.parse(split_segments(page.read_bytes().decode("utf-8", "replace")).english)
    return time.perf_counter() - started


def slowest_pages(pages: list[Path], count: int = 5) -> list[tuple[float, str]]:
    from extractor.pages import build_record

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
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stderr[-3000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(result.stderr)
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-slowest", action="store_true")
    args = parser.parse_args()
    pages = pages_of(args.corpus)
    print(f"corpus: {args.corpus} ({len(pages)} pages)")

    f = floor(pages)
    print(f"F (floor: read + English + markdown-it parse, 1 process): {f:.2f} s")

    work = Path(tempfile.mkdtemp(prefix="extractor-bench-"))
    try:
        corpus = work / "corpus"
        farm(args.corpus, corpus)
        out, cache = work / "output", work / "cache"
        rows = []
        cold, peak_cold = timed_build(corpus, out, cache, args.jobs)
        rows.append(("cold", cold))
        warm, peak_warm = timed_build(corpus, out, cache, args.jobs)
        rows.append(("warm", warm))
        changed = corpus / pages[len(pages) // 2].relative_to(args.corpus)
        text = changed.read_text(encoding="utf-8")
        changed.unlink()
        changed.write_text(text + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        one, peak_one = timed_build(corpus, out, cache, args.jobs)
        rows.append(("one page changed", one))
        for name, seconds in rows:
            verdict = "ok" if seconds <= TARGETS[name] * f else "MISSED"
            print(
                f"{name:>17}: {seconds:7.2f} s = {seconds / f:5.2f} x F "
                f"(target <= {TARGETS[name]} x F: {verdict})"
            )
        peak = max(peak_cold, peak_warm, peak_one)
        print(f"peak RSS (largest process): {peak / 1024:.0f} MiB (target <= 2048 MiB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if not args.skip_slowest:
        print("five slowest pages (build_record, one process):")
        for seconds, path in slowest_pages(pages):
            print(f"  {seconds:6.3f} s  {os.path.relpath(path, args.corpus)}")


if __name__ == "__main__":
    main()
