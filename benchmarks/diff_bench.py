"""Measure ``extractor diff REPO@A REPO@B`` against the floor F (issue 26).

A git repository is made from the corpus (its objects only: the corpus is added from where
it lies with ``--work-tree``, nothing is checked out), then a second commit edits 1% of the
pages (a row of their first table removed, or a sentence added where they have none). Then,
each a fresh ``extractor diff`` process with ``-j 2``:

* cold: an empty cache, both revisions' pages read (the pages they share once);
* A cached: the cache holds revision A's pages only, as after a diff of A against another
  revision: only the pages B changed are read.

Targets: cold <= 2 x F, A cached <= 0.3 x F, F measured in the same run (``bench.floor``).

    python benchmarks/diff_bench.py [--corpus ../shared/corpus/zh-CN] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import DEFAULT_CORPUS, floor_in_process, pages_of

TARGETS = {"cold": 2.0, "A cached": 0.3}
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def git(repo: Path, *args: str, data: bytes | None = None, tree: Path | None = None) -> str:
    extra = ["--work-tree", str(tree)] if tree is not None else []
    done = subprocess.run(
        ["git", "--git-dir", str(repo), *extra, *args],
        input=data,
        capture_output=True,
        env=ENV,
        check=True,
    )
    return done.stdout.decode()


def edited(text: str) -> str:
    """The page with the last row of its first table (after the title) removed, else with a
    sentence added."""
    lines = text.splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if line.startswith("|") and i > 20]
    first = None
    for i in rows:
        if first is None or i == first + 1:
            first = i
        else:
            break
    if first is not None and first > rows[0] + 2:
        return "".join(lines[:first] + lines[first + 1 :])
    return text + "\nEdited for the diff benchmark.\n"


def make_repository(corpus: Path, repo: Path, share: float = 0.01) -> tuple[int, int]:
    """Revision A (tag ``A``): the corpus; revision B (tag ``B``): 1% of its pages edited."""
    git(repo, "init", "-q", "--bare")
    git(repo, "add", "-A", ".", tree=corpus)
    git(repo, "commit", "-qm", "A", tree=corpus)
    git(repo, "tag", "A")
    pages = pages_of(corpus)
    step = max(1, round(1 / share))
    chosen = pages[::step]
    for page in chosen:
        text = page.read_text(encoding="utf-8")
        blob = git(repo, "hash-object", "-w", "--stdin", data=edited(text).encode()).strip()
        path = page.relative_to(corpus).as_posix()
        git(repo, "update-index", "--cacheinfo", f"100644,{blob},{path}", tree=corpus)
    git(repo, "commit", "-qm", "B: 1% of the pages edited", tree=corpus)
    git(repo, "tag", "B")
    return len(pages), len(chosen)


def timed_diff(repo: Path, a: str, b: str, cache: Path, jobs: int) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor",
            "diff",
            f"{repo}@{a}",
            f"{repo}@{b}",
            "--cache-dir",
            str(cache),
            "-j",
            str(jobs),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="extractor-diff-bench-"))
    try:
        repo = work / "repo.git"
        total, edited_count = make_repository(args.corpus, repo)
        print(f"repository: {total} pages in A, {edited_count} edited in B")
        rounds = []
        for number in range(1, args.rounds + 1):
            f = floor_in_process(args.corpus)
            cold_cache, warm_cache = work / f"cold{number}", work / f"warm{number}"
            cold, report = timed_diff(repo, "A", "B", cold_cache, args.jobs)
            timed_diff(repo, "A", "A", warm_cache, args.jobs)  # the cache now holds A's pages
            warm, again = timed_diff(repo, "A", "B", warm_cache, args.jobs)
            assert report == again, "the diff with A cached differs from the cold one"
            changes = report.count('"rule":')
            times = {"cold": cold, "A cached": warm}
            print(f"round {number}: F {f:.2f} s; {changes} changes")
            for name, seconds in times.items():
                print(f"round {number}: {name:>9} {seconds:6.2f} s = {seconds / f:5.2f} x F")
            rounds.append((f, times))
        for name, target in TARGETS.items():
            ratios = [times[name] / f for f, times in rounds]
            median = statistics.median(ratios)
            verdict = "ok" if median <= target else "MISSED"
            print(f"{name:>9}: median {median:.2f} x F (target <= {target}: {verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
