"""Put output files into a staging folder: in the build's process, or in a process of its
own that writes while the build renders (``outtree.TreeWriter``).

Creating a tree of 28,000 files and 17,000 folders is mostly the kernel's work, but every
system call lets go of the interpreter lock and must win it back: a writer thread beside a
rendering thread got it back once per switch interval (5 ms) and fell behind. A process of
its own has no lock to share. It is started afresh (``helpers``), isolated, and so this
module imports nothing but the standard library.

The protocol, on its standard streams: one line per batch, the path of a batch file
(``write_batch``), which the writer deletes once read; at the end of input, the writer prints
a marshalled dict of what it wrote, relative path to (size, modification time in ns,
SHA-256), and exits 0. A batch file is each file's path and content, prefixed by their
lengths, streamed through a small buffer: a marshalled list of 100 MB of files cost the
build 25,000 page faults of its own (a fifth of a second).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import struct
import sys
from collections.abc import Iterable, Iterator
from contextlib import suppress
from typing import BinaryIO

from extractor.engine.subprocesses import helper_arguments

#: What a build wrote, by relative path: (size, mtime_ns, sha256 hex).
Written = dict[str, tuple[int, int, str]]
#: Before each file in a batch: the length of its UTF-8 path, and of its content.
_LENGTHS = struct.Struct("<IQ")


def folders_of(files: Iterable[str]) -> set[str]:
    """Every folder (relative, ``a/b``) that holds one of the files, however deep."""
    folders: set[str] = set()
    for relative in files:
        folder = relative.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def write_batch(out: BinaryIO, items: Iterable[tuple[str, bytes]]) -> None:
    for relative, data in items:
        name = relative.encode("utf-8")
        out.write(_LENGTHS.pack(len(name), len(data)))
        out.write(name)
        out.write(data)


def read_batch(batch: bytes) -> Iterator[tuple[str, memoryview]]:
    view, position = memoryview(batch), 0
    while position < len(batch):
        name_length, data_length = _LENGTHS.unpack_from(batch, position)
        position += _LENGTHS.size
        relative = bytes(view[position : position + name_length]).decode("utf-8")
        position += name_length
        yield relative, view[position : position + data_length]
        position += data_length


def as_bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def encoded(content: str | bytes | memoryview) -> tuple[bytes | memoryview, str]:
    data = content if isinstance(content, memoryview) else as_bytes(content)
    return data, hashlib.sha256(data).hexdigest()


def unchanged(path: str, remembered: tuple[int, int, str] | None, digest: str) -> bool:
    """Whether ``path`` still holds what a build wrote with this digest (nobody touched it)."""
    if remembered is None or remembered[2] != digest:
        return False
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == remembered[:2]


def put_file(
    root: str,
    relative: str,
    data: bytes | memoryview,
    digest: str,
    stands: bool,
    previous: str | None,
    written: Written,
) -> tuple[int, int, str]:
    """Put one file into ``root``: hard-linked from the previous output when that holds it
    unchanged, else written; the size and modification time it has there, and its digest."""
    target = os.path.join(root, relative)
    if stands:
        os.unlink(target)
    if previous is not None:
        source = os.path.join(previous, relative)
        if unchanged(source, written.get(relative), digest):
            with suppress(OSError):  # no hard links on this filesystem: write it
                os.link(source, target)
                status = os.stat(target)  # kept by the swap: a rename changes no file's times
                return status.st_size, status.st_mtime_ns, digest
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        status = os.fstat(handle)
    finally:
        os.close(handle)
    return status.st_size, status.st_mtime_ns, digest


class Stager:
    """Files put into a fresh staging folder, folders made as they are first needed."""

    def __init__(self, root: str, previous: str | None, written: Written) -> None:
        self.root, self.previous, self.written = root, previous, written
        self.made = {""}
        self.done: Written = {}

    def put(self, items: Iterable[tuple[str, str | bytes | memoryview]]) -> None:
        for relative, content in items:
            folder = relative.rpartition("/")[0]
            if folder not in self.made:
                self._make(folder)
            data, digest = encoded(content)
            stands = relative in self.done  # added again: the later file wins
            self.done[relative] = put_file(
                self.root, relative, data, digest, stands, self.previous, self.written
            )

    def _make(self, folder: str) -> None:
        parent = folder.rpartition("/")[0]
        if parent not in self.made:
            self._make(parent)
        with suppress(FileExistsError):  # made by the build for a big file of its own
            os.mkdir(os.path.join(self.root, folder))
        self.made.add(folder)


def main() -> None:
    """In the writer process: ``STAGING PREVIOUS WRITTEN``, batches on standard input."""
    root, previous, written_file = helper_arguments()
    written: Written = {}
    if written_file:
        with open(written_file, "rb") as handle:
            written = marshal.load(handle)
    stager = Stager(root, previous or None, written)
    for line in sys.stdin:
        batch = line.rstrip("\n")
        with open(batch, "rb") as handle:
            content = handle.read()
        os.unlink(batch)
        stager.put(read_batch(content))
    sys.stdout.buffer.write(marshal.dumps(stager.done))
    sys.stdout.flush()
