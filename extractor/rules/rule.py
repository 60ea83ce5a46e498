"""What the registry says about one rule id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: ``diagnostic``: a finding about the input (``diagnostics.json``, ``diagnostics.sarif``);
#: ``change``: a difference between two specs (``extractor diff``); ``finding``: where the
#: docs and the service's metadata disagree (``extractor check-metadata``).
Kind = Literal["diagnostic", "change", "finding"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule id as users meet it in diagnostics and diffs.

    ``severities`` are every severity the rule is emitted with today, the usual one first;
    ``help`` says in a sentence or two what it means and what to do; ``example`` is a
    message it gives or the input that triggers it.
    """

    id: str
    kind: Kind
    severities: tuple[str, ...]
    help: str
    example: str

    @property
    def severity(self) -> str:
        """The usual severity."""
        return self.severities[0]

    @property
    def summary(self) -> str:
        """The help's first sentence: what the rule means."""
        first, dot, _ = self.help.partition(". ")
        return first + "." if dot else self.help
