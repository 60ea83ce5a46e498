"""Write the output tree all at once, or compare it with what is there.

A build's files go into a staging folder as they are rendered (``TreeWriter``), which is
then swapped in for the output in one step (``swap``); the tree swapped out becomes the next
build's spare to stage in (``spare``).
"""

from __future__ import annotations

import marshal
import os
import shutil
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

from extractor.engine import filewriter
from extractor.engine.filewriter import as_bytes, encoded, put_file, write_batch
from extractor.engine.lock import temporary_prefix
from extractor.engine.spare import (
    BIG_FILE,
    SPARE_MAP,
    Present,
    SpareCheck,
    keep_as_spare,
    make_spare_later,
    spare_path,
    take_spare,
    write_files,
)
from extractor.engine.subprocesses import Helper
from extractor.engine.swap import (
    Files,
    beside,
    discard,
    recover_interrupted,
    stale_paths,
    swap_in,
)
from extractor.engine.uptodate import FolderTimes, Written

__all__ = [
    "SPARE_MAP",
    "Files",
    "SpareCheck",
    "TreeWriter",
    "as_bytes",
    "recover_interrupted",
    "spare_path",
    "stale_paths",
    "write_tree",
]


class TreeWriter:
    """A build's output tree, written into a staging folder as the build hands files over
    (``add``), then swapped in for the output in one step (``finish``); used as a context
    manager, so that a build that fails or is interrupted leaves no staging tree behind.

    When the staging folder is fresh (a first build into a folder, or a build that keeps no
    cache), a writer process (``filewriter``) writes each batch of files as soon as it is
    added, on the second core while the build renders the rest: on the real corpus the
    1.5-2.7 s of writing that followed rendering shrank to what is added last. Each batch
    goes over as one file (``filewriter.write_batch``), so the build never waits on a pipe;
    files of a megabyte or more are written here, one copy into the page cache rather than
    two. Should that process fail to start or die, the files are written here at
    ``finish``. When the build
    stages in the spare, files are only collected and written at ``finish``, since which of
    them to write depends on all of them.

    ``written`` is what the last build wrote there (None when the build keeps no cache):
    files it still holds unchanged are linked, not written again (and keep their
    modification times), and the tree swapped out becomes the next build's spare.
    ``folders``, the times of its folders just after, spare that build a walk of the spare.
    """

    def __init__(
        self,
        out_dir: Path,
        written: Written | None = None,
        folders: FolderTimes | None = None,
        check: SpareCheck | None = None,
    ) -> None:
        self.out_dir = out_dir.absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(self.out_dir)
        self.written = written
        self.folders = folders
        taken = take_spare(self.out_dir) if written is not None else None
        self.spare: tuple[Written, FolderTimes | None] | None = None
        self.checked: Present | None = None  # what the spare holds, by ``check``
        if taken is None:
            self.staging = beside(self.out_dir, "tmp")
            if check is not None:
                check.close()
        else:
            self.staging, (held, spare_folders, record) = taken
            self.spare = (held, spare_folders)
            if check is not None:
                self.checked = check.present(record, held, spare_folders)
        self.previous = self.out_dir if written and self.out_dir.is_dir() else None
        self.collected: dict[str, str | bytes] = {}
        self._handover: str | None = None
        self._writer: Helper | None = None
        self._written_here: Written = {}  # the big files, written by this process
        #: After ``finish``, the output's folders' times, when known without a stat of each.
        self.folder_times: FolderTimes | None = None
        if self.spare is None:
            self._writer = self._start_writer()

    def _start_writer(self) -> Helper | None:
        try:
            self._handover = tempfile.mkdtemp(prefix=temporary_prefix("files"))
            written_file = ""
            if self.previous is not None and self.written:
                written_file = os.path.join(self._handover, "written.marshal")
                with open(written_file, "wb") as handle:
                    marshal.dump(self.written, handle)
        except OSError:  # no folder for the batches: write here
            return None
        arguments = [str(self.staging), str(self.previous or ""), written_file]
        writer = Helper(filewriter.__name__, arguments, isolated=True, takes_input=True)
        return writer if writer.process is not None else None

    def add(self, files: Mapping[str, str | bytes]) -> None:
        """Files of the output by relative path; a path added again replaces the file."""
        if self._writer is not None and not self.collected.keys().isdisjoint(files):
            self._stop_writer()  # written twice, by two processes: all of it at ``finish``
        self.collected.update(files)
        if self._writer is None or self._handover is None:
            return
        small = []
        try:
            for relative, content in files.items():
                if len(content) < BIG_FILE:
                    small.append((relative, as_bytes(content)))
                else:  # one copy into the page cache here, rather than two via the writer
                    self._put_here(relative, content)
            handle, batch = tempfile.mkstemp(dir=self._handover, suffix=".batch")
            with os.fdopen(handle, "wb", buffering=1 << 20) as out:
                write_batch(out, small)
            stdin = self._writer.process.stdin if self._writer.process is not None else None
            assert stdin is not None
            stdin.write(batch.encode() + b"\n")
            stdin.flush()
        except (OSError, ValueError):  # the writer is gone or the disk full: write at finish
            self._stop_writer()

    def _put_here(self, relative: str, content: str | bytes) -> None:
        folder = relative.rpartition("/")[0]
        if folder:
            os.makedirs(self.staging / folder, exist_ok=True)
        data, digest = encoded(content)
        prior = str(self.previous) if self.previous is not None else None
        self._written_here[relative] = put_file(
            str(self.staging), relative, data, digest, False, prior, self.written or {}
        )

    def _stop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.end()
        if self._handover is not None:
            shutil.rmtree(self._handover, ignore_errors=True)
            self._handover = None

    def _writer_result(self) -> Written | None:
        """What the writer process wrote, once it has written everything; None if it died."""
        if self._writer is None:
            return None
        output = self._writer.answer()  # its input closed: no more batches
        self._stop_writer()
        try:
            result = marshal.loads(output) if output is not None else None
        except (ValueError, EOFError, TypeError):
            return None
        if not isinstance(result, dict):
            return None
        result.update(self._written_here)
        return result if result.keys() == self.collected.keys() else None

    def finish(self) -> Written:
        """Wait for the files, swap the staging tree in; the size, modification time and
        SHA-256 of every file written (what ``written`` is for the next build)."""
        result = self._writer_result()
        times = None
        if result is None:
            if self.spare is None:  # the writer died halfway: start the folder afresh
                shutil.rmtree(self.staging, ignore_errors=True)
                self.staging.mkdir()
            result, times = write_files(
                self.collected,
                self.staging,
                self.previous,
                self.written or {},
                self.spare,
                self.checked,
            )
        self._swap(result)
        if times is not None:
            with suppress(OSError):
                self.folder_times = {"": os.stat(self.out_dir).st_mtime_ns, **times}
        return result

    def _swap(self, result: Written) -> None:
        out_dir, written = self.out_dir, self.written
        aside = swap_in(self.staging, out_dir)
        if aside is not None and written:
            keep_as_spare(aside, out_dir, written, self.folders)
        elif aside is not None:
            discard(aside, out_dir)
        if written is not None and not spare_path(out_dir).exists():
            make_spare_later(out_dir, result)

    def __enter__(self) -> TreeWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is None:
            return
        # Ctrl-C, a failed render or a failed rename: drop the staging tree, and put the
        # previous output back if the swap was cut short
        self._stop_writer()
        shutil.rmtree(self.staging, ignore_errors=True)
        with suppress(OSError):
            recover_interrupted(self.out_dir)


def write_tree(
    files: Files,
    out_dir: Path,
    written: Written | None = None,
    folders: FolderTimes | None = None,
) -> Written:
    """Write all files into a staging directory, then swap it in for ``out_dir`` in one step
    (``TreeWriter``, given every file at once)."""
    with TreeWriter(out_dir, written, folders) as writer:
        writer.add(files)
        return writer.finish()
