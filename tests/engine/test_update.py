"""A build after a few pages changed updates the last build's spec where those pages feed it,
and gets exactly what a whole build gets; a change that reaches across pages is a whole build."""

from __future__ import annotations

import glob
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

from extractor.engine.state import keeping_marker
from extractor.reconcile import Reconciliation, reconcile, reconciliation, skeleton
from extractor.schema import PageRecord


def _parts(
    records: list[PageRecord], parts: Reconciliation | None = None
) -> tuple[Reconciliation, dict[str, str]]:
    """The reconciliation of ``records`` (``parts`` when already made) and their skeletons."""
    parts = parts or reconciliation(records)
    inferred = parts.inferred_keys()
    return parts, {r.source.path: skeleton(r, inferred) for r in records}


def _update(
    records: list[PageRecord], changed: list[PageRecord]
) -> tuple[Reconciliation | None, list[str]]:
    """The update of ``records``' reconciliation by ``changed``, and the pages it loaded."""
    parts, skeletons = _parts(records)
    by_path = {r.source.path: r for r in records}
    loaded: list[str] = []

    def load(path: str) -> PageRecord:
        loaded.append(path)
        return by_path[path]

    return parts.update(changed, skeletons, load), loaded


def _replaced(records: list[PageRecord], changed: list[PageRecord]) -> list[PageRecord]:
    new = {r.source.path: r for r in changed}
    return [new.get(r.source.path, r) for r in records]


def _prose_edit(record: PageRecord) -> PageRecord:
    """Descriptions, titles, an example's values and permissions changed: no skeleton."""
    update: dict[str, object] = {"description": record.description + " Edited."}
    if record.operation is not None:
        operation = record.operation
        permissions = operation.permissions.model_copy(
            update={"application": [*operation.permissions.application, "Edited.Read.All"]}
        )
        update["operation"] = operation.model_copy(
            update={"description": operation.description + " Edited.", "permissions": permissions}
        )
    if record.type is not None:
        properties = [
            p.model_copy(update={"description": f"{p.description} Edited."})
            for p in record.type.properties
        ]
        update["type"] = record.type.model_copy(
            update={"description": record.type.description + " Edited.", "properties": properties}
        )
    examples = []
    for example in record.examples:
        body = example.json_value
        if isinstance(body, dict) and "@odata.type" not in body:
            body = {**body, "editedForTheTest": True}
        examples.append(example.model_copy(update={"json_value": body}))
    update["examples"] = examples
    update["diagnostics"] = []
    return record.model_copy(update=update)


#: The seeds' v1.0 redirect page in zh-CN and in ru-RU (an older commit): one page, two copies.
_TWO_COPIES = {"v1_redirect", "ru_redirect_2019"}


def test_an_update_is_the_whole_reconcile(seeds: dict[str, PageRecord]) -> None:
    records = list(seeds.values())
    single = [record for key, record in seeds.items() if key not in _TWO_COPIES]
    inferred = reconciliation(records).inferred_keys()
    assert inferred  # five pages define few of the types their examples show
    for record in single:
        edited = _prose_edit(record)
        assert skeleton(edited, inferred) == skeleton(record, inferred)
        updated, _ = _update(records, [edited])
        assert updated is not None, record.source.path
        assert updated.result() == reconcile(_replaced(records, [edited]))
        assert updated.result() != reconcile(records)
    edited = [_prose_edit(r) for r in single]
    updated, _ = _update(records, edited)
    assert updated is not None
    assert updated.result() == reconcile(_replaced(records, edited))


def test_an_update_reads_only_the_pages_that_share_a_part(seeds: dict[str, PageRecord]) -> None:
    records = list(seeds.values())
    updated, loaded = _update(records, [_prose_edit(seeds["beta_redirect"])])
    assert updated is not None
    # call.redirect has a page in each version: the v1.0 page is read (the copy the spec
    # reads: the ru-RU copy of an older commit is left out), and nothing else
    assert loaded == [seeds["v1_redirect"].source.path]
    _, loaded = _update(records, [_prose_edit(seeds["beta_transfer"])])
    assert loaded == []


def test_a_change_across_pages_asks_for_a_whole_reconcile(
    seeds: dict[str, PageRecord],
) -> None:
    records = list(seeds.values())
    redirect = seeds["beta_redirect"]
    assert redirect.operation is not None and redirect.examples
    renamed = redirect.model_copy(
        update={"operation": redirect.operation.model_copy(update={"id": "call.forward"})}
    )
    fewer_examples = redirect.model_copy(update={"examples": redirect.examples[1:]})
    moved = redirect.model_copy(
        update={"source": redirect.source.model_copy(update={"path": "elsewhere.md"})}
    )
    retyped = redirect.model_copy(
        update={
            "operation": redirect.operation.model_copy(
                update={
                    "parameters": [
                        p.model_copy(update={"type": "microsoft.graph.somethingElse"})
                        for p in redirect.operation.parameters
                    ]
                }
            )
        }
    )
    assert redirect.operation.parameters
    inferred = reconciliation(records).inferred_keys()
    for change in (renamed, fewer_examples, moved, retyped, _inferred_type_changed(redirect)):
        assert skeleton(change, inferred) != skeleton(redirect, inferred)
        assert _update(records, [change])[0] is None


def _inferred_type_changed(record: PageRecord) -> PageRecord:
    """A property added to the example objects of a type no page defines: the type the spec
    infers from all pages' examples changes."""
    examples = []
    for example in record.examples:
        body = example.json_value
        if isinstance(body, dict) and "@odata.type" in body:
            body = {**body, "addedForTheTest": 1}
        examples.append(example.model_copy(update={"json_value": body}))
    assert examples != record.examples
    return record.model_copy(update={"examples": examples})


def test_a_page_with_several_copies_asks_for_a_whole_reconcile(
    seeds: dict[str, PageRecord],
) -> None:
    records = list(seeds.values())
    for key in _TWO_COPIES:  # which copy the spec reads may change with what a copy says
        assert _update(records, [_prose_edit(seeds[key])])[0] is None
    # copies of one commit all feed the spec's sources: an update of a part they share
    # reads them all
    record = seeds["beta_transfer"]
    same = record.model_copy(
        update={"source": record.source.model_copy(update={"path": "ru/" + record.source.path})}
    )
    edited = [_prose_edit(seeds["beta_redirect"])]
    updated, _ = _update([*records, same], edited)
    assert updated is not None
    assert updated.result() == reconcile(_replaced([*records, same], edited))


@pytest.mark.slow
def test_updates_of_real_pages_are_whole_reconciles(
    zh_cn_records: list[PageRecord], zh_cn_reconciliation: Reconciliation
) -> None:
    """Random edits of one to three zh-CN pages: each update gives what a whole reconcile
    gives, without reading any page but those that share a part with an edited one."""
    records = zh_cn_records
    parts, skeletons = _parts(records, zh_cn_reconciliation)
    by_path = {r.source.path: r for r in records}
    rng = random.Random(7)
    for _ in range(8):
        picked = rng.sample(records, rng.choice([1, 2, 3]))
        edited = [_prose_edit(r) for r in picked]
        loaded: list[str] = []

        def load(path: str, loaded: list[str] = loaded) -> PageRecord:
            loaded.append(path)
            return by_path[path]

        updated = parts.update(edited, skeletons, load)
        assert updated is not None
        # one operation merged from many pages (intune documents one DELETE per derived
        # type, 127 pages) is made again from all of them
        assert len(loaded) < 150
        assert updated.result() == reconcile(_replaced(records, edited))


# --- the build command --------------------------------------------------------------------


def _wait_for_state(cache: Path) -> None:
    """The state is kept by a detached process after each build."""
    deadline = time.monotonic() + 60
    while glob.glob(keeping_marker(cache)) and time.monotonic() < deadline:
        time.sleep(0.05)


def _build(corpus: Path, out: Path, cache: Path | None) -> str:
    caching = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    run = subprocess.run(
        [sys.executable, "-m", "extractor", "build", str(corpus), "-o", str(out), *caching],
        capture_output=True,
        text=True,
        check=True,
        cwd=corpus.parent,
    )
    if cache is not None:
        _wait_for_state(cache)
    return run.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_build_after_an_edit_writes_what_a_whole_build_writes(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    shutil.copytree(SEEDS, corpus)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert "updated" not in _build(corpus, out, cache)

    def edit_and_compare(change: str) -> str:
        said = _build(corpus, out, cache)
        whole = tmp_path / f"whole-{change}"
        _build(corpus, whole, None)
        assert _tree(out) == _tree(whole), change
        return said

    page = corpus / "003_9aae2b038558e1dd.txt"  # beta's call: transfer
    text = page.read_text(encoding="utf-8")
    edited = text.replace("Transfer an active peer-to-peer call.", "Transfer an active call.")
    assert edited != text
    page.write_text(edited)
    assert "1 read, 4 cached; the spec updated" in edit_and_compare("prose")
    page.write_text(text.replace("call: transfer", "call: hand over"))  # the page's anchor
    assert "1 read, 4 cached); " in edit_and_compare("name")
    page.write_text(text)
    assert "the spec updated" not in edit_and_compare("back")
    page.write_text(edited)
    assert "the spec updated" in edit_and_compare("edited again")
    copied = corpus / "000_0cb95b7642379844.txt"  # v1.0's redirect, also there in ru-RU
    copied.write_text(copied.read_text(encoding="utf-8").replace("Redirect an", "Send an"))
    assert "1 read, 4 cached); " in edit_and_compare("a page of two copies")
    extra = corpus / "005_copy.txt"
    shutil.copy(page, extra)
    assert "1 read, 5 cached); " in edit_and_compare("added")
    extra.unlink()
    assert "0 read, 5 cached); " in edit_and_compare("removed")
    # a kept state that does not load is ignored: the build is a whole one, and right
    for kept in (cache / "states").iterdir():
        kept.write_bytes(b"not a pickle")
    page.write_text(text)
    assert "(0 read, 5 cached); " in edit_and_compare("damaged state")  # its record is cached
    page.write_text(edited)
    assert "(0 read, 5 cached; the spec updated" in edit_and_compare("after the damage")
