"""Locale-neutral text: the spec says the same whatever locale its pages were read in."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.reconcile import reconcile
from extractor.reconcile.text import _BLANK_RUN, _LOCALE_IN_URL, _SPACE_RUN, normalize_text
from extractor.schema import PageRecord
from tests.reconcile.builders import record, redirect_op, spec_without_sources


def test_spec_is_identical_whatever_the_locale() -> None:
    def page(locale: str, code: str, spaces: str) -> PageRecord:
        description = (
            f"See [Office](https://support.office.com/{code}/article/x).{spaces}Then redirect.  "
        )
        op = redirect_op("v1.0", description=description)
        op.parameters[0].description = f"Targets.{spaces}Up to 25. "
        return record("call-redirect", locale=locale, operation=op)

    zh = reconcile([page("zh-CN", "zh-CN", " ")])
    ru = reconcile([page("ru-RU", "ru-RU", "  ")])
    pt = reconcile([page("pt-BR", "pt-br", " \t ")])
    assert spec_without_sources(zh) == spec_without_sources(ru) == spec_without_sources(pt)
    operation = zh.spec.operations[0]
    assert operation.description == (
        "See [Office](https://support.office.com/article/x). Then redirect."
    )
    assert operation.parameters[0].description == "Targets. Up to 25."


def test_normalize_text_keeps_paragraphs_and_relative_links() -> None:
    text = "A  b \n\n\n\n[c](/zh-cn/graph/x)  \r\nd"
    assert normalize_text(text) == "A b\n\n[c](/graph/x)\nd"
    assert normalize_text(None) == ""
    started = time.process_time()
    normalize_text("[" * 100_000 + "](https://x" * 10_000 + " " * 100_000)
    assert time.process_time() - started < 1.0


def normalize_text_reference(text: str | None) -> str:
    """``normalize_text`` without its shortcuts: every regex on every line of every text."""
    if not text:
        return ""
    text = _LOCALE_IN_URL.sub(r"\1", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


TEXT_PIECES = [" ", "  ", "\t", "\u00a0", "\u3000", "\x0b", "\n", "\r", "x", "/", "](", ")", "["]
TEXT_PIECES += ["https://a.b", "http:/", "://", "/zh-cn", "/en-US/", "zh-hans", "/de-de/x"]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(TEXT_PIECES)).map("".join)))
def test_normalize_text_shortcuts_change_nothing(text: str) -> None:
    assert normalize_text(text) == normalize_text_reference(text)
