"""The output written while the build renders: ``outtree.TreeWriter`` and its writer process
(``filewriter``) give the very tree that writing every file at once gives, whatever happens
to the writer process."""

from __future__ import annotations

import hashlib
import io
import os
import signal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.engine import filewriter
from extractor.engine import output_tree as outtree
from extractor.engine import subprocesses as helpers
from extractor.engine.output_tree import TreeWriter, as_bytes, write_tree

BIG = "x" * ((1 << 20) + 5)  # written by the build itself, not the writer process
BATCHES: list[dict[str, str | bytes]] = [
    {"models/v1_0/graph.py": "class A: ...\n", "models/v1_0/__init__.py": ""},
    {f"fixtures/v1.0/page-{n}/example-{m}.json": b"{}\n" for n in range(40) for m in range(3)},
    {"spec.json": BIG, "openapi/beta.yaml": BIG.encode(), "diff/v1.0-beta.md": "# diff\n"},
    {"diagnostics.json": "[]\n", "fixtures/index.json": b"[]\n"},
]


def _all(batches: list[dict[str, str | bytes]]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for batch in batches:
        files.update({name: as_bytes(content) for name, content in batch.items()})
    return files


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _digests(written: dict[str, tuple[int, int, str]]) -> dict[str, tuple[int, str]]:
    return {name: (size, digest) for name, (size, _, digest) in written.items()}


def test_files_added_while_rendering_make_the_tree_written_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with TreeWriter(out) as tree:
        assert tree._writer is not None  # a fresh staging folder: the writer process writes
        for batch in BATCHES:
            tree.add(batch)
        written = tree.finish()
    expected = _all(BATCHES)
    assert _tree(out) == expected
    at_once = write_tree(expected, tmp_path / "at-once")
    assert _digests(written) == _digests(at_once)
    assert written["spec.json"][2] == hashlib.sha256(BIG.encode()).hexdigest()
    for name, (size, mtime, _) in written.items():
        status = os.stat(out / name)
        assert (status.st_size, status.st_mtime_ns) == (size, mtime)
    assert _leftovers(out) == []


def test_a_path_added_again_holds_the_last_content(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with TreeWriter(out) as tree:
        tree.add({"a/one.json": b"first", "b.txt": "keep"})
        tree.add({"a/one.json": b"second"})
        tree.add({"a/two.json": BIG})
        tree.add({"a/two.json": b"small now"})
        written = tree.finish()
    assert _tree(out) == {"a/one.json": b"second", "b.txt": b"keep", "a/two.json": b"small now"}
    assert written["a/two.json"][0] == len(b"small now")


def test_a_writer_killed_halfway_costs_a_rewrite_here(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with TreeWriter(out) as tree:
        tree.add(BATCHES[0])
        assert tree._writer is not None
        process = tree._writer.process
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)  # as the OOM killer would
        process.wait()
        for batch in BATCHES[1:]:
            tree.add(batch)
        written = tree.finish()
    assert _tree(out) == _all(BATCHES)
    assert written.keys() == _all(BATCHES).keys()
    assert _leftovers(out) == []


def test_a_writer_that_cannot_start_leaves_the_writing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot_start(*_args: object, **_options: object) -> Any:
        raise OSError(11, "Resource temporarily unavailable")

    # the helpers' own module reference only: ruff, in codegen, still starts
    monkeypatch.setattr(
        helpers, "subprocess", SimpleNamespace(Popen=cannot_start, PIPE=-1, DEVNULL=-3)
    )
    out = tmp_path / "out"
    with TreeWriter(out) as tree:
        assert tree._writer is None
        for batch in BATCHES:
            tree.add(batch)
        tree.finish()
    assert _tree(out) == _all(BATCHES)


def test_a_failed_render_leaves_the_previous_output_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree({"old.txt": "old"}, out)
    with pytest.raises(RuntimeError), TreeWriter(out) as tree:
        tree.add(BATCHES[1])
        assert tree._writer is not None
        writer = tree._writer.process
        raise RuntimeError("the render failed")
    assert _tree(out) == {"old.txt": b"old"}
    assert _leftovers(out) == []
    assert writer is not None and writer.poll() is not None  # stopped, not left writing


def test_with_a_spare_files_are_written_at_finish(tmp_path: Path) -> None:
    """Staging in the spare: which files to write depends on all of them, so none is written
    before ``finish``; the result is the same tree."""
    out = tmp_path / "out"
    written = write_tree(_all(BATCHES[:2]), out, {})
    written = write_tree(_all(BATCHES[:2]), out, written)  # the swapped-out tree is the spare
    assert outtree.spare_path(out).is_dir()
    with TreeWriter(out, written) as tree:
        assert tree._writer is None and tree.spare is not None
        for batch in BATCHES:
            tree.add(batch)
        tree.finish()
    assert _tree(out) == _all(BATCHES)


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abc/é-_.", min_size=1, max_size=12),
            st.binary(max_size=40),
        ),
        max_size=8,
    )
)
def test_a_batch_reads_back_as_written(items: list[tuple[str, bytes]]) -> None:
    out = io.BytesIO()
    filewriter.write_batch(out, items)
    back = [(name, bytes(data)) for name, data in filewriter.read_batch(out.getvalue())]
    assert back == items


def test_render_hands_over_every_file_once(seeds: dict[str, Any]) -> None:
    from extractor.engine.rendering import render_outputs
    from extractor.reconcile import reconcile

    handed: list[str] = []
    seen: dict[str, bytes] = {}

    def emit(files: Any) -> None:
        handed.extend(files)
        seen.update({name: as_bytes(content) for name, content in files.items()})

    files, _ = render_outputs(reconcile(seeds.values()), None, None, emit)
    assert sorted(handed) == sorted(files)
    assert seen == {name: as_bytes(content) for name, content in files.items()}
