"""ruff on the generated code: sort imports, apply safe fixes, format; and, between builds,
only the top-level blocks whose text changed are formatted again and spliced in."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from extractor.reuse import PieceMemo

#: Settings given to ruff explicitly: the project's pyproject is absent in an installed wheel.
RUFF_SETTINGS: tuple[str, ...] = ("--isolated", "--line-length", "100", "--target-version", "py311")
RUFF_FIX_RULES = "I,F401,RUF022,UP"


@cache
def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # no py.typed

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


def format_python(files: dict[str, str]) -> dict[str, str]:
    """Sort imports, apply safe fixes and format with ruff; a file ruff fails on stays as is,
    and every file does when ruff is missing.

    All files go to one ``ruff check --fix`` and one ``ruff format``, in a temporary directory
    that is also ruff's working directory (so no folder where the user runs the build can
    change how ruff sorts imports): ruff's start-up would cost more than most files' work,
    and it formats files in parallel.
    """
    binary = _ruff_binary()
    if binary is None or not files:
        return files
    try:
        with tempfile.TemporaryDirectory(prefix="extractor-ruff-") as directory:
            paths = {name: Path(directory, name) for name in files}
            for name, path in paths.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[name].encode("utf-8"))
            for arguments in (
                ("check", "--fix", "--exit-zero", "--quiet", "--select", RUFF_FIX_RULES),
                ("format", "--quiet"),
            ):
                command = [
                    binary,
                    *arguments,
                    *RUFF_SETTINGS,
                    "--no-cache",
                    *files,
                ]
                try:
                    subprocess.run(
                        command, capture_output=True, timeout=300, check=False, cwd=directory
                    )
                except subprocess.SubprocessError:  # killed: a file may be half-written
                    return files
                # ruff rewrites a file whole or not at all, whatever its exit status says.
                files = {name: path.read_bytes().decode("utf-8") for name, path in paths.items()}
    except OSError:  # ruff or the temporary directory unusable: what the last step gave
        return files
    return files


#: Where a top-level block of a formatted module starts: an enum or class, or an index.
_BLOCK_START = re.compile(r"^(?:class |[A-Z_][A-Z0-9_]*: )", re.MULTILINE)


def _blocks(text: str) -> list[str] | None:
    """A formatted module cut into its header and top-level blocks, without the blank lines
    between them; None unless joining them back (``_joined``) gives the very text."""
    starts = [match.start() for match in _BLOCK_START.finditer(text)]
    ends = [*starts, len(text)]
    blocks = [text[start:end].rstrip("\n") for start, end in zip([0, *starts], ends, strict=True)]
    return blocks if _joined(blocks) == text else None


def _joined(blocks: list[str]) -> str:
    return "\n\n\n".join(blocks) + "\n"


def _raw(parts: list[str]) -> str:
    """A file's text before formatting: its header, then each piece two blank lines apart."""
    return parts[0] + "".join(f"\n\n{part}" for part in parts[1:])


def _format_pieces(files: dict[str, list[str]], memo: PieceMemo) -> dict[str, str]:
    """Each file (its header, then its pieces) formatted with ``format_python``.

    A file whose parts are those of the last build keeps its formatted text. ruff formats each
    top-level block of a module on its own (two blank lines around it), so a module whose
    header and length are unchanged keeps the formatted blocks of its unchanged pieces; the
    changed ones are formatted under the module's header, in a file of their own, and put in
    their place. What does not cut back into the same blocks is formatted whole.
    """
    result: dict[str, str] = {}
    whole: dict[str, str] = {}
    splices: dict[str, tuple[list[str], list[int]]] = {}
    for path, parts in files.items():
        previous = memo.find(path, ())
        if previous is not None:
            old_parts, old_blocks, old_text = previous
            if old_parts == parts:
                result[path] = old_text
                memo.keep(path, (), previous)
                continue
            if old_blocks is not None and len(old_parts) == len(parts) and old_parts[0] == parts[0]:
                changed = [i for i in range(1, len(parts)) if parts[i] != old_parts[i]]
                splices[path] = (list(old_blocks), changed)
                continue
        whole[path] = _raw(parts)
    snippets = {f"snippets/{n}/{path}": path for n, path in enumerate(splices)}
    done = format_python(
        {
            **whole,
            **{
                name: _raw([files[path][0], *(files[path][i] for i in splices[path][1])])
                for name, path in snippets.items()
            },
        }
    )
    for name, path in snippets.items():
        blocks, changed = splices[path]
        formatted = _blocks(done[name])
        if formatted is None or len(formatted) != len(changed) + 1:
            whole[path] = _raw(files[path])  # formatted whole below
            continue
        for i, block in zip(changed, formatted[1:], strict=True):
            blocks[i] = block
        result[path] = _joined(blocks)
        memo.keep(path, (), (files[path], blocks, result[path]))
    unformatted = {path: text for path, text in whole.items() if path not in done}
    if unformatted:
        done.update(format_python(unformatted))
    for path in whole:
        text = result[path] = done[path]
        cut = _blocks(text) if len(files[path]) > 1 else None
        if cut is not None and len(cut) != len(files[path]):
            cut = None
        memo.keep(path, (), (files[path], cut, text))
    return dict(sorted(result.items()))
