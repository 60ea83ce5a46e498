"""HTTP fences of Graph reference pages: request lines, headers, bodies and status lines.

Pages write HTTP loosely, so nothing here splits a line on whitespace: the method is the
first token and the URL runs to the end of the line (1,012 request lines in the corpus
have spaces inside the URL, ``/users/{id | userPrincipalName}``, ``$filter=x eq 'y'``).
Every function is pure, linear in its input and never raises on bad input; problems come
back as data, each with the page line it is about (``first_line`` is the page line of the
fence's first content line). Start lines lose markdown residue before they are read:
leading blanks, HTML comments, a trailing ``\\``, backslash escapes (``\\_``), and
``# ...``/``// ...`` comments that follow a blank outside braces and quotes.

Choices for fences that are not a clean request or response:

* A bare URL as first line (``https://teams.microsoft.com/l/...``, ``/me/activities``) is
  a request with ``method=None`` and a problem; further bare URLs go to
  ``extra_request_lines``.
* A fence that starts with JSON, with headers only, or with prose gives ``None`` and a
  problem.
* ``HTTP code: 200 OK`` and a bare ``400 Bad Request`` are status lines (version None).
* Several requests in one fence keep the first; the other start lines (stripped) go to
  ``extra_request_lines``.
"""

from __future__ import annotations

from extractor.read.httpblock.fences import (
    KNOWN_HEADERS,
    parse_http_message,
    parse_request_lines,
)
from extractor.read.httpblock.lines import METHODS, RequestLine, normalize_status, split_url

__all__ = [
    "KNOWN_HEADERS",
    "METHODS",
    "RequestLine",
    "normalize_status",
    "parse_http_message",
    "parse_request_lines",
    "split_url",
]
