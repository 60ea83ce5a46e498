"""Double buffering of the output: the tree a swap takes out is the next build's staging.

Whatever the spare holds (files of two builds ago, files edited by hand, strays, a folder
where a file now goes), the output after the next build is exactly the new files; files
unchanged since the previous build keep their inode and modification time; a file whose
content changed gets a new inode; a build killed while changing the spare leaves the old
output, and the one after it recovers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.engine import output_tree as outtree
from extractor.engine import spare as spare_tree
from extractor.engine.output_tree import SPARE_MAP, spare_path, write_tree
from extractor.engine.uptodate import folders_of

A = {
    "same.json": "{}\n",
    "back.json": "[1]\n",  # A, then B changes it, then C has A's bytes again
    "gone.json": "[2]\n",
    "deep/a/b.json": "[3]\n",
    "becomes-folder": "a file in A\n",
}
B = {
    "same.json": "{}\n",
    "back.json": "[10]\n",
    "deep/a/b.json": "[3]\n",
    "edited.json": "[4]\n",
    "becomes-folder": "a file in B\n",
    "becomes-file/x.json": "[5]\n",
}
C = {
    "same.json": "{}\n",
    "back.json": "[1]\n",
    "deep/a/b.json": "[30]\n",
    "edited.json": "[4]\n",
    "becomes-folder/inside.json": "[6]\n",
    "becomes-file": "a file in C\n",
    "new/file.json": "[7]\n",
}


def texts(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def folders(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_dir()}


def _recording_walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the build walks from now on (a spare it could not check by stats)."""
    walked: list[Path] = []
    real_walk = spare_tree._walk

    def walk(root: Path) -> object:
        walked.append(root)
        return real_walk(root)

    monkeypatch.setattr(spare_tree, "_walk", walk)
    return walked


def edit_in_place(path: Path, head: bytes) -> None:
    """Overwrite the start of a file, same inode, until its modification time shows it: the
    kernel's file clock ticks every few milliseconds, and an edit within the tick of the
    last write would leave the time as it was, unlike any edit by hand."""
    before = path.stat().st_mtime_ns
    while True:
        with open(path, "r+b") as handle:
            handle.write(head)
        if path.stat().st_mtime_ns != before:
            return
        time.sleep(0.001)


def settle(out: Path) -> None:
    """Wait for the detached spare maker and deleter to finish."""
    deadline = time.monotonic() + 30
    patterns = (f".{out.name}.spare-making-*", f".{out.name}.trash-*")
    while any(list(out.parent.glob(p)) for p in patterns) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_three_builds_through_one_spare(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written_a = write_tree(A, out, {})
    settle(out)  # the first build's spare comes from the background maker
    assert texts(spare_path(out)) == {**A, SPARE_MAP: texts(spare_path(out))[SPARE_MAP]}
    written_b = write_tree(B, out, written_a)
    assert texts(out) == B
    settle(out)
    spare = spare_path(out)
    assert texts(spare).keys() - {SPARE_MAP} == A.keys()  # the output B replaced
    (spare / "stray.txt").write_text("left in the spare by hand")
    before = {name: os.stat(out / name) for name in B}
    written_c = write_tree(C, out, written_b)
    assert texts(out) == C
    assert folders(out) == {"deep", "deep/a", "becomes-folder", "new"}
    after = {name: os.stat(out / name) for name in C}
    for name in ("same.json", "edited.json"):  # unchanged since B: the very same file
        assert (after[name].st_ino, after[name].st_mtime_ns) == (
            before[name].st_ino,
            before[name].st_mtime_ns,
        )
    # A's bytes again, but changed since B: a new file, so make-like readers see the change
    assert after["back.json"].st_ino != before["back.json"].st_ino
    assert after["back.json"].st_mtime_ns >= before["back.json"].st_mtime_ns
    for name, (size, mtime, _) in written_c.items():
        assert (after[name].st_size, after[name].st_mtime_ns) == (size, mtime)
    assert texts(spare_path(out)).keys() - {SPARE_MAP} == B.keys()


def test_a_spare_file_edited_by_hand_is_written_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_tree(A, out, {})
    settle(out)
    written = write_tree(A, out, written)  # now the spare is the first output, with its map
    settle(out)
    spare = spare_path(out)
    target = spare / "same.json"
    target.unlink()  # not in place: the spare's files are links of the output's
    target.write_text("[]\n")  # same size, other bytes
    write_tree(A, out, written)
    assert texts(out) == A


def test_a_spare_without_its_record_is_not_used(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spare = spare_path(out)
    (spare / "junk").mkdir(parents=True)
    (spare / "junk" / "file").write_text("not ours")
    write_tree(A, out, {})
    assert texts(out) == A
    settle(out)


CHILD = """
import os, sys
from pathlib import Path
from extractor.engine import output_tree as outtree, spare
real = spare._prepare_folders
def prepare(files, root, present):
    real(files, root, present)
    os._exit(9)  # killed while the spare is half changed
spare._prepare_folders = prepare
import json
written = {k: tuple(v) for k, v in json.loads(sys.argv[2]).items()}
outtree.write_tree({C!r}, Path(sys.argv[1]), written)
"""


def test_a_build_killed_while_changing_the_spare_leaves_the_old_output(tmp_path: Path) -> None:
    import json

    out = tmp_path / "out"
    written = write_tree(A, out, {})
    settle(out)
    written = write_tree(B, out, written)
    settle(out)
    assert spare_path(out).is_dir()
    done = subprocess.run(
        [sys.executable, "-c", CHILD.replace("{C!r}", repr(C)), str(out), json.dumps(written)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 9, done.stderr.decode()
    assert texts(out) == B
    assert not spare_path(out).exists()  # taken: it now sits under a staging name
    write_tree(C, out, written)
    assert texts(out) == C
    settle(out)
    assert not list(tmp_path.glob(".out.tmp-*"))


def _folder_times(out: Path, written: dict[str, tuple[int, int, str]]) -> dict[str, int]:
    """What ``remember`` keeps of a build's folders, right after it."""
    return {folder: os.stat(out / folder).st_mtime_ns for folder in {"", *folders_of(written)}}


def _two_builds_and_a_spare_with_its_times(
    out: Path,
) -> tuple[dict[str, tuple[int, int, str]], dict[str, int]]:
    """A's output becomes the spare with A's folder times; B is the output."""
    written_a = write_tree(A, out, {})
    times_a = _folder_times(out, written_a)
    settle(out)
    written_b = write_tree(B, out, written_a, times_a)
    settle(out)
    return written_b, _folder_times(out, written_b)


def test_a_spare_with_its_folder_times_is_checked_without_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    written_b, times_b = _two_builds_and_a_spare_with_its_times(out)

    def no_walk(root: Path) -> None:
        raise AssertionError(f"walked {root}")

    monkeypatch.setattr(spare_tree, "_walk", no_walk)
    before = {name: os.stat(out / name) for name in B}
    written_c = write_tree(C, out, written_b, times_b)
    assert texts(out) == C
    assert folders(out) == {"deep", "deep/a", "becomes-folder", "new"}
    after = os.stat(out / "same.json")
    assert (after.st_ino, after.st_mtime_ns) == (
        before["same.json"].st_ino,
        before["same.json"].st_mtime_ns,
    )
    assert written_c["same.json"][:2] == (after.st_size, after.st_mtime_ns)


@pytest.mark.parametrize("change", ["stray file", "stray at the root", "removed", "in place"])
def test_a_spare_changed_since_its_times_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """Whatever was done to an output after its build shows in its folders' or files' times
    when it is the spare: the walk then finds it, and the next output is exactly right."""
    out = tmp_path / "out"
    written_a = write_tree(A, out, {})
    times_a = _folder_times(out, written_a)
    settle(out)
    if change == "stray file":
        (out / "deep" / "a" / "stray.json").write_text("[]\n")
    elif change == "stray at the root":
        (out / "stray.json").write_text("[]\n")
    elif change == "removed":
        (out / "deep" / "a" / "b.json").unlink()
    else:  # the spare's file too: one inode
        edit_in_place(out / "same.json", b"[]")
    written_b = write_tree(B, out, written_a, times_a)  # A's tree, as changed, is the spare
    settle(out)
    walked = _recording_walks(monkeypatch)
    write_tree(C, out, written_b, _folder_times(out, written_b))
    assert texts(out) == C
    assert walked or change == "in place"  # a file's own time tells an edit in place


def test_the_first_spare_is_checked_without_a_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare a detached process links after a folder's first build records its folders'
    times too: the next build checks it by stats, and its output is exact."""
    out = tmp_path / "out"
    written = write_tree(A, out, {})
    settle(out)
    assert spare_path(out).is_dir()
    held = spare_tree._load_map(spare_path(out))
    assert held is not None and held[1] is not None
    assert set(held[1]) == {"", *folders_of(A)}
    walked = _recording_walks(monkeypatch)
    write_tree(B, out, written)
    assert texts(out) == B
    assert walked == []


def _checked(out: Path) -> spare_tree.Present | None:
    """What a ``SpareCheck`` started now says the spare holds, for the record it has."""
    check = outtree.SpareCheck(out)
    loaded = spare_tree._load_map(spare_path(out))
    assert loaded is not None
    held, times, record = loaded
    return check.present(record, held, times)


def test_a_spare_checked_while_the_build_starts(tmp_path: Path) -> None:
    """The spare's check in another process: as its record says, with a file edited in place
    reported by its own stats; a stray file, or another record, and there is no answer (the
    build then checks the spare itself); either way the output is exact."""
    out = tmp_path / "out"
    written = write_tree(A, out, {})
    settle(out)
    present = _checked(out)
    assert present is not None
    assert present.files == {name: entry[:2] for name, entry in written.items()}
    assert present.folders == folders_of(A)

    edit_in_place(spare_path(out) / "deep" / "a" / "b.json", b"[9")  # the output's too
    edited = os.stat(spare_path(out) / "deep" / "a" / "b.json")
    present = _checked(out)
    assert present is not None
    assert present.files["deep/a/b.json"] == (edited.st_size, edited.st_mtime_ns)

    check = outtree.SpareCheck(out)
    assert check.present("another record", *written_and_times(out)) is None

    (spare_path(out) / "deep" / "stray.json").write_text("{}", encoding="utf-8")
    assert _checked(out) is None

    with outtree.TreeWriter(out, written, check=outtree.SpareCheck(out)) as tree:
        tree.add(B)
        tree.finish()
    assert texts(out) == B


def written_and_times(out: Path) -> tuple[dict[str, tuple[int, int, str]], dict[str, int] | None]:
    loaded = spare_tree._load_map(spare_path(out))
    assert loaded is not None
    return loaded[0], loaded[1]


def test_folder_times_known_from_the_write_are_a_stat_of_each(tmp_path: Path) -> None:
    """A build staged in a spare checked by stats tells the folders' times without a stat of
    each (files written, removed, folders made and removed): they are what a stat says."""
    out = tmp_path / "out"
    written = write_tree(A, out, {})
    times = _folder_times(out, written)  # as the cache keeps them for the next build
    settle(out)
    for files in (B, C, A, B):
        check = outtree.SpareCheck(out)
        with outtree.TreeWriter(out, written, times, check=check) as tree:
            tree.add(files)
            written = tree.finish()
        assert texts(out) == files
        assert tree.folder_times is not None  # the first spare, linked later, has them too
        times = tree.folder_times
        assert times == _folder_times(out, written)
        settle(out)
