"""Which page files a build reads: the search below the folders a user names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.read.corpus import PAGE_SUFFIXES, discover
from tests.conftest import SHARED_CORPUS


def walked(root: Path) -> list[tuple[str, str]]:
    """The rules as ``os.walk`` states them: dot names skipped, linked folders not entered,
    ``includes`` folders not searched (their files are read when a page includes them)."""
    found = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = [n for n in subfolders if not n.startswith(".") and n != "includes"]
        for name in files:
            if name.endswith(PAGE_SUFFIXES) and not name.startswith("."):
                path = Path(folder) / name
                found.append((str(path), path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def test_hidden_names_and_linked_folders_are_skipped_and_linked_pages_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / ".hidden").mkdir()
    for relative in ("a.md", "sub/b.txt", ".hidden/c.md", ".d.md", "sub/notes.rst"):
        (pages / relative).write_text("# page\n")
    (pages / "linked").symlink_to("sub")
    (pages / "linked.md").symlink_to("sub")  # a folder, whatever its name says
    (pages / "link.md").symlink_to("sub/b.txt")
    monkeypatch.chdir(tmp_path)
    found = discover(["pages"])
    assert [page.display for page in found] == ["pages/a.md", "pages/link.md", "pages/sub/b.txt"]
    assert [page.display for page in found] == [f"pages/{shown}" for _, shown in walked(pages)]
    for page in found:  # as the build key reads it: the linked file's, not the link's
        status = os.stat(page.path)
        facts = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        assert page.status == facts


def test_the_real_corpus_is_found_as_os_walk_finds_it() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    found = discover([SHARED_CORPUS])
    root = SHARED_CORPUS.as_posix()
    expected = [(path, f"{root}/{shown}") for path, shown in walked(SHARED_CORPUS)]
    assert [(str(page.path), page.display) for page in found] == expected
    assert len(found) > 11_214
