"""The version diff rendered in a process of its own, from ``spec.json``, while the build
renders the rest.

After reconcile a build renders on one core: a forked helper cost more than it saved
(``render``), since both processes then touch the million objects they share and every page
either one writes to is copied. The version diff reads nothing but the spec, and the spec's
JSON is made anyway; so a fresh process (no shared pages) reads it back and renders the diff
on the second core, beside the file writer. The diff of a spec read back from its JSON is
the diff of the spec itself, byte for byte (a test holds it so on the seeds, and it was
checked on the real corpus). On the real corpus the diff took 0.6-0.9 s of the build's own
render; the process spends 0.3 s importing, 0.3 s reading the spec and the diff itself.

Should the process fail to start, die or answer nonsense, ``result`` says None and the build
renders the diff itself.
"""

from __future__ import annotations

import marshal
import os
import shutil
import sys
import tempfile

from extractor.engine.lock import temporary_prefix
from extractor.engine.subprocesses import Helper, helper_arguments


class VersionDiffProcess:
    """A version diff being rendered from ``spec.json``'s bytes in another process."""

    def __init__(self, spec_json: bytes) -> None:
        self._folder: str | None = None
        self._helper: Helper | None = None
        try:
            self._folder = tempfile.mkdtemp(prefix=temporary_prefix("spec"))
            spec_file = os.path.join(self._folder, "spec.json")
            with open(spec_file, "wb") as out:
                out.write(spec_json)
        except OSError:
            self.close()
            return
        self._helper = Helper(__name__, [spec_file])

    def result(self) -> dict[str, str] | None:
        """The diff's files, once rendered; None when the process could not make them."""
        output = self._helper.answer() if self._helper is not None else None
        self.close()
        try:
            files = marshal.loads(output) if output is not None else None
        except (ValueError, EOFError, TypeError):
            return None
        if not isinstance(files, dict) or not all(
            isinstance(name, str) and isinstance(text, str) for name, text in files.items()
        ):
            return None
        return files

    def close(self) -> None:
        """Stop the process if it still runs, and remove its folder."""
        if self._helper is not None:
            self._helper.end()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def main() -> None:
    """In the process: read the spec, print the diff's files marshalled."""
    import gc

    gc.disable()  # a spec is a million long-lived objects and no garbage cycles
    (spec_file,) = helper_arguments()
    from extractor.diff import render_version_diff
    from extractor.schema import UnifiedSpec

    with open(spec_file, "rb") as handle:
        spec = UnifiedSpec.model_validate_json(handle.read())
    files = render_version_diff(spec)
    sys.stdout.buffer.write(marshal.dumps(files))
    sys.stdout.flush()
    os._exit(0)  # no teardown of the spec's objects


__all__ = ["VersionDiffProcess"]
