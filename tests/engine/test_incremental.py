"""An unchanged page is never parsed again; a corrupt or foreign cache entry is rebuilt."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import SEEDS

from extractor.engine.records import content_digest, extract_records, store_deferred
from extractor.engine.state import keeping_marker
from extractor.read.corpus import discover
from extractor.schema import PageRecord


def copy_seeds(target: Path) -> Path:
    corpus = target / "pages"
    shutil.copytree(SEEDS, corpus)
    return corpus


def test_only_the_changed_page_is_recomputed(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    cache = tmp_path / "cache"
    first, computed, digests = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert len(computed) == 5
    again, computed, cached_digests = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert computed == []
    assert (again, cached_digests) == (first, digests)
    assert digests == [content_digest(record.model_dump_json()) for record in first]
    changed = corpus / "003_9aae2b038558e1dd.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n<!-- a comment -->\n")
    _, computed, touched = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert [Path(path).name for path in computed] == ["003_9aae2b038558e1dd.txt"]
    assert touched == digests  # new bytes, same record: the same content digest
    changed.write_text(changed.read_text(encoding="utf-8").replace("call: transfer", "call: move"))
    third, computed, edited = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert [Path(path).name for path in computed] == ["003_9aae2b038558e1dd.txt"]
    assert [a == b for a, b in zip(edited, digests, strict=True)].count(False) == 1
    by_name = {Path(r.source.path).name: r for r in third}
    assert by_name["003_9aae2b038558e1dd.txt"].title == "call: move"
    assert [r for r in third if r.title != "call: move"] == [
        r for r in first if r.title != "call: transfer"
    ]


def test_corrupt_and_foreign_cache_entries_are_rebuilt(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    cache = tmp_path / "cache"
    first, _, _ = extract_records(discover([corpus]), jobs=1, cache_dir=cache)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 5
    entries[0].write_text('{"source": {"path": "some/other/page.md"}}', encoding="utf-8")
    entries[1].write_text(entries[1].read_text(encoding="utf-8")[:100], encoding="utf-8")
    entries[2].write_bytes(b"\xff\xfe not json")
    head = entries[3].read_text(encoding="utf-8")
    entries[3].write_text(head[: head.index(',"version"')] + ',"version": 7}', encoding="utf-8")
    again, computed, _ = extract_records(discover([corpus]), jobs=1, cache_dir=cache)
    assert len(computed) == 4
    assert again == first
    again, computed, _ = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert (computed, again) == ([], first)  # the damaged entries were written anew


def test_no_cache_computes_everything(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    _, computed, _ = extract_records(discover([corpus]), jobs=1, cache_dir=None)
    assert len(computed) == 5


def test_unchanged_build_is_skipped_and_a_touched_output_is_rebuilt(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = copy_seeds(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"

    def build(*extra: str) -> str:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "extractor",
                "build",
                str(corpus),
                "-o",
                str(out),
                "--cache-dir",
                str(cache),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        return run.stderr

    assert "wrote" in build()
    assert "nothing changed" in build()
    assert "nothing changed" in build("--check")
    (out / "spec.json").write_text("{}", encoding="utf-8")
    assert "wrote" in build()
    assert "nothing changed" in build()
    # what is added, removed or renamed anywhere in the tree is seen without listing it
    nested = next(p for p in (out / "fixtures").rglob("*.json") if p.parent != out / "fixtures")
    stray = nested.parent / "stray.json"
    stray.write_text("{}", encoding="utf-8")
    assert "wrote" in build() and not stray.exists()
    nested.unlink()
    assert "wrote" in build() and nested.exists()
    nested.rename(nested.with_name("renamed.json"))
    assert "wrote" in build() and nested.exists()
    (nested.parent / "empty").mkdir()
    assert "wrote" in build() and not (nested.parent / "empty").exists()
    assert "nothing changed" in build()
    changed = corpus / "000_0cb95b7642379844.txt"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    schema_written = (out / "spec.schema.json").stat().st_mtime_ns
    changed.write_bytes(changed.read_bytes() + b"\n<!-- reviewed -->\n")
    assert "say nothing new" in build()  # its record is read again, and is the same
    assert "nothing changed" in build()
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Redirect an incoming call", "Send an incoming call"))
    rebuilt = build()
    assert "(1 read, 4 cached)" in rebuilt and "wrote" in rebuilt
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after.keys() == before.keys() and after != before
    # what the edit did not change was linked from the previous output, not written again
    assert (out / "spec.schema.json").stat().st_mtime_ns == schema_written


def test_the_page_hash_reaches_no_output(seeds: dict[str, PageRecord]) -> None:
    """What lets a build skip pages whose bytes changed but whose records did not."""
    from extractor.engine.rendering import render_outputs
    from extractor.reconcile import reconcile

    files, _ = render_outputs(reconcile(seeds.values()))
    rehashed = [
        record.model_copy(update={"source": record.source.model_copy(update={"sha256": "0" * 64})})
        for record in seeds.values()
    ]
    assert render_outputs(reconcile(rehashed))[0] == files


def _pages_for_a_pool(target: Path, copies: int = 4) -> Path:
    """The seeds, each under several names: enough pages to be read by a process pool."""
    corpus = target / "pool-pages"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        for copy in range(copies):
            (corpus / f"c{copy}-{seed.name}").write_bytes(seed.read_bytes())
    return corpus


def _records_in(cache: Path) -> list[Path]:
    return [path for path in cache.glob("*/??/*.json") if path.parent.parent.name != "states"]


def test_workers_leave_the_cache_entries_to_the_build(tmp_path: Path) -> None:
    """With ``deferred``, workers write no cache entry: the build writes them once its output
    is out; until then the pages are simply read again."""
    corpus = _pages_for_a_pool(tmp_path)
    cache = tmp_path / "cache"
    deferred: list[tuple[str, str]] = []
    first, computed, digests = extract_records(
        discover([corpus]), jobs=2, cache_dir=cache, deferred=deferred
    )
    assert len(computed) == len(deferred) == 20
    assert _records_in(cache) == []
    by_path = {record.source.path: record for record in first}
    for _, text in deferred:
        record = PageRecord.model_validate_json(text)
        assert record == by_path.pop(record.source.path)
    assert by_path == {}
    store_deferred(deferred)
    assert len(_records_in(cache)) == 20
    again, computed, cached_digests = extract_records(
        discover([corpus]), jobs=2, cache_dir=cache, deferred=deferred
    )
    assert computed == [] and (again, cached_digests) == (first, digests)
    assert len(deferred) == 20  # nothing more to write


def test_after_a_build_one_edited_page_is_the_only_one_read(tmp_path: Path) -> None:
    """A cold build's workers leave their records to the process that keeps the build's
    state; the next build, after a one-page edit, reads that page only."""
    corpus = _pages_for_a_pool(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "out"

    options = ["-j", "2", "--cache-dir", str(cache)]

    def build() -> str:
        run = subprocess.run(
            [sys.executable, "-m", "extractor", "build", str(corpus), "-o", str(out), *options],
            capture_output=True,
            text=True,
            check=True,
        )
        deadline = time.monotonic() + 60
        while glob.glob(keeping_marker(cache)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return run.stderr

    assert "(20 read, 0 cached)" in build()
    assert len(_records_in(cache)) == 20
    changed = corpus / "c2-000_0cb95b7642379844.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Redirect an incoming call", "Send an incoming call"))
    assert "(1 read, 19 cached" in build()
