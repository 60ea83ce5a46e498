"""Replay the documentation's examples in a test suite: look them up in a build's
``fixtures/``, and match a client's requests to their vcrpy cassettes.

The docs write placeholders where an id goes (``/users/{id | userPrincipalName}/messages``),
so a request with a real id matches no recorded URI exactly. ``graph_uri`` is a vcrpy matcher
that reads each ``{...}`` of a recorded URI as a wildcard for the text it stands in (one path
segment at most), compares paths and query values decoded (``requests`` and ``httpx`` quote
differently), and query parameters in any order::

    import vcr
    from extractor.replay import register

    my_vcr = register(vcr.VCR(record_mode="none"))  # adds graph_uri; match_on uses it
    with my_vcr.use_cassette("output/fixtures/cassettes/v1.0/get-user/get_user-request.yaml"):
        requests.get("https://graph.microsoft.com/v1.0/users/48d31887-5fad-4d73-a9f5-3c356e68a038")

``Examples("output/fixtures")`` finds examples by operation id, version, status and name;
``Exchange`` is a request example with its response and cassette. This module needs vcrpy only
for ``register``/``use_cassette``; the pytest plugin (``extractor.pytest_plugin``) builds on it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "MATCH_ON",
    "Example",
    "Examples",
    "Exchange",
    "concrete_url",
    "graph_uri",
    "register",
    "uri_mismatch",
]

#: What ``register`` sets a VCR to match requests on.
MATCH_ON = ("method", "graph_uri")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: What a placeholder stands for by default in ``concrete_url``: safe in a path, a key
#: (``('{id}')``) and a query value alike.
DEFAULT_ID = "0a1b2c3d-0000-4000-8000-00000000000a"


@cache
def _pattern(recorded: str, filler: str) -> re.Pattern[str] | None:
    """A recorded (decoded) URI part as a regex when it holds placeholders, else None."""
    pieces = _PLACEHOLDER.split(recorded)
    if len(pieces) == 1:
        return None
    return re.compile(filler.join(re.escape(piece) for piece in pieces), re.DOTALL)


def _same(actual: str, recorded: str, filler: str = "[^/]+?") -> bool:
    """Whether ``actual`` is ``recorded`` with its placeholders filled in by ``filler``."""
    pattern = _pattern(recorded, filler)
    return actual == recorded if pattern is None else pattern.fullmatch(actual) is not None


def _query(text: str) -> list[tuple[str, str]]:
    """Query parameters decoded (``+`` kept: clients quote it differently), sorted."""
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((urllib.parse.unquote(name), urllib.parse.unquote(value)))
    return sorted(pairs, key=lambda pair: pair[0])


def uri_mismatch(actual: str, recorded: str) -> str | None:
    """Why a request's URI does not match a recorded one (placeholders matching anything
    within a path segment), or None when it matches."""
    a, r = urllib.parse.urlsplit(actual), urllib.parse.urlsplit(recorded)
    if a.scheme.lower() != r.scheme.lower():
        return f"scheme {a.scheme!r} is not {r.scheme!r}"
    if not _same(a.netloc.lower(), urllib.parse.unquote(r.netloc).lower()):
        return f"host {a.netloc!r} is not {r.netloc!r}"
    a_path = urllib.parse.unquote(a.path or "/").rstrip("/") or "/"
    r_path = urllib.parse.unquote(r.path or "/").rstrip("/") or "/"
    a_parts, r_parts = a_path.split("/"), r_path.split("/")
    if len(a_parts) != len(r_parts) or not all(
        _same(x, y) for x, y in zip(a_parts, r_parts, strict=True)
    ):
        return f"path {a_path!r} is not {r_path!r}"
    a_query, r_query = _query(a.query), _query(r.query)
    if [name for name, _ in a_query] != [name for name, _ in r_query] or not all(
        _same(x, y, ".+?") for (_, x), (_, y) in zip(a_query, r_query, strict=True)
    ):
        return f"query {a.query!r} is not {r.query!r}"
    return None


def graph_uri(r1: Any, r2: Any) -> None:
    """vcrpy matcher: ``r1``'s URI is ``r2``'s with each placeholder filled in (or the
    reverse: vcrpy passes the recorded request second, but a matcher should not rely on it)."""
    problem = uri_mismatch(r1.uri, r2.uri)
    if problem is not None and uri_mismatch(r2.uri, r1.uri) is not None:
        raise AssertionError(problem)


def register(vcr: Any) -> Any:
    """Register ``graph_uri`` with a ``vcr.VCR`` and match on it; returns the VCR."""
    vcr.register_matcher("graph_uri", graph_uri)
    vcr.match_on = MATCH_ON
    return vcr


#: A placeholder as written, or percent-encoded as in a cassette's URI (``%7Bid%7D``).
_ANY_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%7B(?:(?!%7[BD]).)*?%7D", re.IGNORECASE)


def concrete_url(url: str, ids: dict[str, str] | None = None) -> str:
    """``url`` with each ``{placeholder}`` (or ``%7Bplaceholder%7D``) replaced: by
    ``ids[name]`` (``{user-id}`` is found under ``user-id`` or ``user_id``), else by
    ``DEFAULT_ID``."""
    ids = ids or {}

    def fill(match: re.Match[str]) -> str:
        name = urllib.parse.unquote(match.group())[1:-1].strip()
        for key in (name, name.replace("-", "_"), name.split("|")[0].strip()):
            if key in ids:
                return str(ids[key])
        return DEFAULT_ID

    return _ANY_PLACEHOLDER.sub(fill, url)


@dataclass
class Example:
    """One fixture of ``fixtures/index.json``; ``document`` is its file, read when asked."""

    root: Path
    entry: dict[str, Any]
    _document: dict[str, Any] | None = field(default=None, repr=False)

    def __getattr__(self, name: str) -> Any:
        key = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
        if name.startswith("_") or key not in self.entry:
            raise AttributeError(name)
        return self.entry[key]

    @property
    def document(self) -> dict[str, Any]:
        if self._document is None:
            text = (self.root / self.entry["file"]).read_text(encoding="utf-8")
            self._document = json.loads(text)
        return self._document

    @property
    def body(self) -> Any:
        return self.document["body"]

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.document["headers"]]

    @property
    def where(self) -> str:
        """``api-reference/v1.0/api/user-get.md:94``: the page and line of the example."""
        return f"{self.entry['sourcePath']}:{self.entry['line']}"

    @property
    def cassette_path(self) -> Path | None:
        cassette = self.entry.get("cassette")
        return self.root / cassette if cassette else None


@dataclass
class Exchange:
    """A documented request, its response and the cassette replaying them."""

    request: Example
    response: Example

    @property
    def where(self) -> str:
        return f"{self.request.where} (response at line {self.response.line})"

    def url(self, **ids: str) -> str:
        """The request's URI with concrete ids in place of its placeholders."""
        return concrete_url(self.request.uri, ids)

    @contextmanager
    def replay(self, **vcr_options: Any) -> Iterator[Any]:
        """Replay the cassette (vcrpy, matching with ``graph_uri``): yields the cassette."""
        import vcr

        cassette = self.request.cassette_path
        if cassette is None:
            raise LookupError(f"{self.request.id} has no cassette ({self.request.where})")
        options = {"record_mode": "none", "allow_playback_repeats": True, **vcr_options}
        with register(vcr.VCR()).use_cassette(str(cassette), **options) as played:
            yield played

    def check(self, status: int, body: Any = None) -> None:
        """Assert that a response has the documented status (and JSON body, when given);
        the failure names the example's page and line."""
        if status != self.response.status:
            raise AssertionError(
                f"status {status}, documented {self.response.status} at {self.response.where}"
            )
        documented = self.response.body
        if body is not None and self.response.body_kind == "json" and body != documented:
            raise AssertionError(
                f"the body differs from the one documented at {self.response.where}"
            )


class Examples:
    """The fixtures of a build (its ``fixtures/`` folder), looked up by what a test knows."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        index = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
        self.all = [Example(self.root, entry) for entry in index]
        self.by_id = {example.id: example for example in self.all}

    def find(
        self,
        operation: str | None = None,
        version: str | None = None,
        status: int | None = None,
        name: str | None = None,
        role: str | None = None,
    ) -> list[Example]:
        """Examples with every given fact (a response's status; the name the page gives
        the example); ``status`` also finds the requests whose response has it."""
        found = []
        for example in self.all:
            entry = example.entry
            if operation is not None and entry["operation"] != operation:
                continue
            if version is not None and entry["version"] != version:
                continue
            if role is not None and entry["role"] != role:
                continue
            if name is not None and name not in (entry.get("name"), entry["id"]):
                continue
            if status is not None and self._status(example) != status:
                continue
            found.append(example)
        return found

    def _status(self, example: Example) -> int | None:
        if example.entry["role"] == "request" and example.entry.get("pair") in self.by_id:
            return self.by_id[example.entry["pair"]].entry["status"]
        return example.entry["status"]

    def one(self, **facts: Any) -> Example:
        """The only example with these facts; a LookupError lists what there is instead."""
        found = self.find(**facts)
        if len(found) == 1:
            return found[0]
        listed = ", ".join(f"{e.id} ({e.where})" for e in found[:10]) or "none"
        raise LookupError(f"{len(found)} examples with {facts}: {listed}")

    def exchange(self, operation: str, **facts: Any) -> Exchange:
        """The documented exchange of an operation: a request with a cassette, its response."""
        found = [e for e in self.find(operation, role="request", **facts) if e.cassette]
        if len(found) != 1:
            listed = ", ".join(f"{e.id} ({e.where})" for e in found[:10]) or "none"
            raise LookupError(
                f"{len(found)} documented exchanges of {operation} with {facts}: {listed}"
            )
        request = found[0]
        return Exchange(request, self.by_id[request.pair])
