"""An unchanged page is never parsed again; a corrupt or foreign cache entry is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEEDS

from extractor.corpus import discover
from extractor.extract import extract_records


def copy_seeds(target: Path) -> Path:
    corpus = target / "pages"
    shutil.copytree(SEEDS, corpus)
    return corpus


def test_only_the_changed_page_is_recomputed(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    cache = tmp_path / "cache"
    first, computed = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert len(computed) == 5
    again, computed = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert computed == []
    assert again == first
    changed = corpus / "003_9aae2b038558e1dd.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("call: transfer", "call: move"))
    third, computed = extract_records(discover([corpus]), jobs=2, cache_dir=cache)
    assert [Path(path).name for path in computed] == ["003_9aae2b038558e1dd.txt"]
    by_name = {Path(r.source.path).name: r for r in third}
    assert by_name["003_9aae2b038558e1dd.txt"].title == "call: move"
    assert [r for r in third if r.title != "call: move"] == [
        r for r in first if r.title != "call: transfer"
    ]


def test_corrupt_and_foreign_cache_entries_are_rebuilt(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    cache = tmp_path / "cache"
    first, _ = extract_records(discover([corpus]), jobs=1, cache_dir=cache)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 5
    entries[0].write_text('{"source": {"path": "some/other/page.md"}}', encoding="utf-8")
    entries[1].write_text(entries[1].read_text(encoding="utf-8")[:100], encoding="utf-8")
    entries[2].write_bytes(b"\xff\xfe not json")
    again, computed = extract_records(discover([corpus]), jobs=1, cache_dir=cache)
    assert len(computed) == 3
    assert again == first


def test_no_cache_computes_everything(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    _, computed = extract_records(discover([corpus]), jobs=1, cache_dir=None)
    assert len(computed) == 5
