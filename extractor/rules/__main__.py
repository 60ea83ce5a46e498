"""``python -m extractor.rules --markdown`` prints the rule tables;
``--readme README.md`` rewrites them between the README's rules markers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.rules import markdown_table, with_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractor.rules", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the rule tables")
    group.add_argument("--readme", type=Path, help="rewrite the tables in this README")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(f"{markdown_table('diagnostic')}\n\n{markdown_table('change')}\n")
        return 0
    readme: Path = args.readme
    text = readme.read_text(encoding="utf-8")
    updated = with_table(text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
