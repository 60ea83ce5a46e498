"""Choosing the changes a report shows: ``--severity``, ``--rule`` and an ignore file.

An ignore file accepts known changes, one a line, each with its reason after ``#``::

    # accepted in the 2021-08 review
    18a60de370ffdb20                                  # participantCapacity: added on purpose
    property-type-changed types/microsoft.graph.call/*  # enums documented since 2021-08

A line is a change's fingerprint, or a rule id (``*`` patterns allowed) and a pattern of its
location joined by ``/``. A line without a reason is refused: an accepted change should say
why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from extractor.diff.places import fingerprint
from extractor.schema import Change

_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


class IgnoreFileError(ValueError):
    """An ignore file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class IgnoreEntry:
    fingerprint: str | None
    rule_pattern: str
    location: str
    reason: str
    line: int

    def matches(self, change: Change) -> bool:
        if self.fingerprint is not None:  # a version diff's changes carry none: computed
            return (change.fingerprint or fingerprint(change)) == self.fingerprint
        return fnmatchcase(change.rule, self.rule_pattern) and fnmatchcase(
            "/".join(change.location), self.location
        )


def parse_ignore_file(path: Path) -> list[IgnoreEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IgnoreFileError(f"cannot read ignore file {path}: {error}") from error
    return parse_ignore_text(text, str(path))


def parse_ignore_text(text: str, name: str = "<ignore>") -> list[IgnoreEntry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), 1):
        body, hash_, reason = raw.partition("#")
        words = body.split()
        if not words:
            continue
        if not hash_ or not reason.strip():
            raise IgnoreFileError(f"{name}:{number}: an ignored change needs a reason after #")
        if len(words) == 1 and _FINGERPRINT.match(words[0]):
            entries.append(IgnoreEntry(words[0], "", "", reason.strip(), number))
        elif len(words) == 2:
            entries.append(IgnoreEntry(None, words[0], words[1], reason.strip(), number))
        else:
            raise IgnoreFileError(
                f"{name}:{number}: expected a fingerprint, or a rule and a location pattern"
            )
    return entries


def select(
    changes: Sequence[Change],
    severities: Sequence[str] = (),
    rules: Sequence[str] = (),
    ignore: Sequence[IgnoreEntry] = (),
) -> tuple[list[Change], list[Change]]:
    """The changes kept, and those an ignore entry accepted. ``severities`` and ``rules``
    (``*`` patterns) keep only what they name; empty keeps all."""
    kept: list[Change] = []
    ignored: list[Change] = []
    for change in changes:
        if severities and change.severity not in severities:
            continue
        if rules and not any(fnmatchcase(change.rule, pattern) for pattern in rules):
            continue
        if any(entry.matches(change) for entry in ignore):
            ignored.append(change)
        else:
            kept.append(change)
    return kept, ignored
