"""Segments replaced by their English half, line numbers kept, and nothing quadratic."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.read.bilingual import leftover_markers, split_segments


def seg(seg_id: str, localized: str, english: str) -> str:
    return (
        f'<span data-ttu-id="{seg_id}">{localized}</span>'
        f'<span class="sxs-lookup"><span data-stu-id="{seg_id}">{english}</span></span>'
    )


def test_segment_replaced_by_english_markdown_kept() -> None:
    text = (
        "# "
        + seg("a1c24-103", "call： redirect", "call: redirect")
        + "\n\n"
        + seg(
            "a1c24-105", "重定向[呼叫](./x.md)", "Redirect a [call](./x.md) with `code` &lt;x&gt;"
        )
    )
    result = split_segments(text)
    assert result.english == "# call: redirect\n\nRedirect a [call](./x.md) with `code` &lt;x&gt;"
    assert [s.id for s in result.segments] == ["a1c24-103", "a1c24-105"]
    assert result.segments[0].localized == "call： redirect"
    assert result.has_english


def test_localized_half_with_newline_keeps_table_row_and_line_map() -> None:
    row = "|" + seg("abcde-p1", "第一\n第二", "First second") + "|String|\n"
    text = "line1\n" + row + "|after|x|\n"
    result = split_segments(text)
    assert result.english == "line1\n|First second|String|\n|after|x|\n"
    # English line 3 ("|after|x|") is page line 4: the localized half spanned a line.
    assert result.original_line(1) == 1
    assert result.original_line(2) == 2
    assert result.original_line(3) == 4


def test_localized_text_is_available() -> None:
    text = "a " + seg("abcde-1", "本地", "English") + " b"
    result = split_segments(text)
    assert result.localized_text(text) == "a 本地 b"


def test_mismatched_id_and_unclosed_spans_are_reported_not_replaced() -> None:
    broken = (
        '<span data-ttu-id="abcde-1">x</span>'
        '<span class="sxs-lookup"><span data-stu-id="abcde-2">y</span></span>'
    )
    result = split_segments("ok\n" + broken + "\n" + '<span data-ttu-id="abcde-3">never closed')
    assert result.segments == []
    assert result.malformed_lines == [2, 3]


def test_page_without_spans_is_returned_as_is() -> None:
    result = split_segments("# 标题\n\n正文")
    assert result.english == "# 标题\n\n正文"
    assert not result.has_english
    assert leftover_markers(result.english) == []


def test_span_inside_json_code_is_left_alone() -> None:
    text = '```json\n{"html": "<span class=\\"x\\">hi</span>"}\n```'
    assert split_segments(text).english == text


def test_hundred_thousand_unclosed_spans_finish_fast() -> None:
    text = '<span data-ttu-id="abcde-1">x\n' * 100_000
    started = time.process_time()
    result = split_segments(text)
    assert len(result.malformed_lines) == 100_000
    assert result.malformed_lines[-1] == 100_000
    assert time.process_time() - started < 5


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('<>/"=span data-ttu-id class sxs-lookup stu abcde-1\n')),
        max_size=400,
    )
)
def test_random_span_soup_never_raises(text: str) -> None:
    result = split_segments(text)
    for line in range(1, result.english.count("\n") + 2):
        assert 1 <= result.original_line(line) <= text.count("\n") + 1


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=20),
            st.text(alphabet=st.characters(blacklist_characters="\n<>"), max_size=20),
        ),
        max_size=10,
    )
)
def test_well_formed_segments_always_round_trip(pairs: list[tuple[str, str]]) -> None:
    pairs = [(local.replace("<", "").replace(">", ""), english) for local, english in pairs]
    text = " ".join(seg(f"abcde-{i}", local, english) for i, (local, english) in enumerate(pairs))
    result = split_segments(text)
    assert result.english == " ".join(english for _, english in pairs)
