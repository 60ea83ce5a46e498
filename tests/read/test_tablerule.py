"""The span-only table rule finds exactly the tables markdown-it's own GFM rule finds.

The page reader's parser swaps markdown-it's table rule for ``tablerule.table_span``; the
tests here parse the same text with the stock rule and compare every token outside the
tables' insides (which the page reader never reads): types, lines, levels, content.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from extractor.read.bilingual import split_segments
from extractor.read.markdown import _parser, parse_document
from extractor.read.tablerule import TABLE_INTERRUPTS, cell_count
from tests.conftest import SEEDS, SHARED_CORPUS, need_corpus

_STOCK_TABLE = importlib.import_module("markdown_it.rules_block.table")


def _stock_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)
    parser.disable(["inline", "text_join"])
    return parser


STOCK = _stock_parser()


def _outside_tables(tokens: list[Token]) -> list[tuple[object, ...]]:
    """Every token but those between a table's open and close, as comparable tuples."""
    kept, depth = [], 0
    for token in tokens:
        if token.type == "table_close":
            depth -= 1
        if depth == 0:
            kept.append(
                (
                    token.type,
                    token.tag,
                    token.nesting,
                    token.level,
                    tuple(token.map) if token.map else None,
                    token.content,
                    token.info,
                    token.markup,
                    token.hidden,
                )
            )
        if token.type == "table_open":
            depth += 1
    return kept


def _same_as_stock(text: str) -> None:
    assert _outside_tables(_parser().parse(text)) == _outside_tables(STOCK.parse(text))


def _stock_cells(row: str) -> int:
    cells = _STOCK_TABLE.escapedSplit(row)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


def test_interrupts_what_the_stock_rule_interrupts() -> None:
    stock_alt = {rule.name: rule.alt for rule in STOCK.block.ruler.__rules__}["table"]
    assert tuple(stock_alt) == TABLE_INTERRUPTS
    ours = {rule.name: rule.alt for rule in _parser().block.ruler.__rules__}["table"]
    assert tuple(ours) == TABLE_INTERRUPTS


@pytest.mark.parametrize(
    "row",
    ["", "|", "||", "a", "a|", "|a", "|a|", "a|b", "\\|", "a\\|", "|a\\|", "\\\\|", "| a | b |"],
)
def test_cell_count_edges(row: str) -> None:
    assert cell_count(row) == _stock_cells(row)


@given(st.text(alphabet="|\\ab `-", max_size=30))
@settings(max_examples=500)
def test_cell_count_is_markdown_its(row: str) -> None:
    assert cell_count(row) == _stock_cells(row)


def test_a_table_spans_its_rows_and_nothing_else() -> None:
    text = "intro\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n|3|\nafter\n\n- item\n"
    tokens = _parser().parse(text)
    assert [token.type for token in tokens].count("table_open") == 1
    opening = next(token for token in tokens if token.type == "table_open")
    assert opening.map == [2, 7]  # the 'after' line is a row too, as in GFM
    inside = {"thead_open", "tbody_open", "tr_open", "th_open", "td_open"}
    assert not any(token.type in inside for token in tokens)
    _same_as_stock(text)


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n|---|---|\n| 1 | 2 |\n> quote\n",  # a blockquote ends it
        "| a | b |\n|---|---|\n| 1 | 2 |\n```\ncode\n```\n",  # so does a fence
        "| a | b |\n|---|---|\n| 1 | 2 |\n# Heading\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- comment -->\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n---\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n- list\n",
        "| a | b |\n|---|\n",  # header and delimiter disagree: no table
        "| a |\n|---|---|\n",
        "a | b\n- | -\n",  # '- ' starts a list, not a delimiter row
        "a | b\n-- | --\n",
        "a | b\n:-: | -:\n",
        "a | b\n|-|-||\n",  # an empty cell inside the delimiter row
        "a | b\n|-|x|\n",
        "paragraph\n| a | b |\n|---|---|\n",  # a table interrupts a paragraph
        "    | a | b |\n    |---|---|\n",  # indented: code
        "| a | b |\n    |---|---|\n",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n- next\n",  # inside a list item
        "> | a | b |\n> |---|---|\n> | 1 | 2 |\nlazy\n",  # inside a blockquote
        "| a \\| b |\n|---|\n| 1 \\| 2 |\n",  # escaped pipes
        "|a|\n|-|\n" + "|\n" * 5,
        "| a |\n|-|\n",  # header only
        "| a | b |\n|---|---|",
        "|\n|-|\n",
    ],
)
def test_same_tables_as_markdown_it(text: str) -> None:
    _same_as_stock(text)


def test_the_padded_cell_cap_ends_a_table_where_markdown_it_does() -> None:
    header = "|" + "|".join("c" * 1 for _ in range(300)) + "|"
    delimiter = "|" + "|".join("-" for _ in range(300)) + "|"
    text = "\n".join([header, delimiter, *(["x"] * 400), ""])
    _same_as_stock(text)


_LINES = st.sampled_from(
    [
        "| a | b |",
        "|---|---|",
        "|:--|--:|",
        "a | b",
        "--- | ---",
        "- | -",
        "| 1 | 2 |",
        "| 1 |",
        "| 1 | 2 | 3 |",
        "| `x|y` | z |",
        "\\| a |",
        "",
        "text",
        "> | q |",
        "> |---|",
        "- | li |",
        "  |---|---|",
        "    | code |",
        "```",
        "# h",
        "<!-- c -->",
        "---",
        "[ref]: /url",
    ]
)


@given(st.lists(_LINES, max_size=14))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_generated_markdown_parses_the_same(lines: list[str]) -> None:
    _same_as_stock("\n".join(lines) + "\n")


def test_seed_pages_parse_the_same() -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        _same_as_stock(text)
        _same_as_stock(split_segments(text).english)
        assert parse_document(split_segments(text).english).blocks


@pytest.mark.slow
def test_every_real_page_parses_the_same() -> None:
    """All pages of the real corpus, in English and as their bilingual source."""
    need_corpus()
    pages = sorted(Path(SHARED_CORPUS).rglob("*.md"))
    assert len(pages) > 11_000
    tables = 0
    for page in pages:
        source = page.read_bytes().decode("utf-8", "replace")
        for text in (split_segments(source).english, source):
            tokens = _parser().parse(text)
            assert _outside_tables(tokens) == _outside_tables(STOCK.parse(text)), page
            tables += sum(token.type == "table_open" for token in tokens)
    assert tables > 40_000
