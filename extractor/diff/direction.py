"""Where a type travels: in requests (bodies, parameters), in responses, or both.

A change's severity depends on it: a response-only type that gains an enum member breaks
clients that switch on it, a request-only property that is removed breaks nobody reading
responses. Reachability is computed from the spec alone: roots are the operations'
parameters and query parameters (requests) and their responses; a type reaches the types
of its properties (both directions) and relationships (responses: ``$expand``), its base
types (their members are its members) and the types derived from it (a value of a base
type may be any of them). A type reached from no operation has no direction: its changes
keep the cautious severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from extractor.schema import UnifiedSpec

Direction = Literal["request", "response", "both", "none"]
REQUEST = "request"
RESPONSE = "response"


def _key(name: str | None) -> str:
    """Type references compare without the namespace and case (``microsoft.graph.call``)."""
    if not name:
        return ""
    return name.rsplit(".", 1)[-1].casefold()


class Reach:
    """Directions of every type and enum of one spec (keys without namespace, casefolded)."""

    def __init__(self, spec: UnifiedSpec) -> None:
        edges: dict[str, set[str]] = {}
        response_edges: dict[str, set[str]] = {}
        derived: dict[str, set[str]] = {}
        self.bases: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}
        for t in spec.types:
            key = _key(t.name)
            self.names.setdefault(key, t.name)
            out = edges.setdefault(key, set())
            out.update(_key(p.type) for p in t.properties if p.type)
            for p in t.properties:
                out.update(_key(a) for a in p.alternatives)
            response_edges.setdefault(key, set()).update(
                _key(r.type) for r in t.relationships if r.type
            )
            self.members.setdefault(key, set()).update(
                p.name.casefold() for p in [*t.properties, *t.relationships]
            )
            if t.base_type:
                base = _key(t.base_type)
                self.bases[key] = base
                out.add(base)
                derived.setdefault(base, set()).add(key)
        for base, children in derived.items():
            edges.setdefault(base, set()).update(children)
        request_roots: set[str] = set()
        response_roots: set[str] = set()
        for op in spec.operations:
            for p in [*op.parameters, *op.query_parameters]:
                request_roots.add(_key(p.type))
                request_roots.update(_key(a) for a in p.alternatives)
            for r in [op.response, *op.responses]:
                response_roots.add(_key(r.type))
        self.request = _closure(request_roots, edges, {})
        self.response = _closure(response_roots, edges, response_edges)

    def of(self, name: str) -> Direction:
        key = _key(name)
        inbound = key in self.request
        outbound = key in self.response
        if inbound and outbound:
            return "both"
        if inbound:
            return "request"
        if outbound:
            return "response"
        return "none"

    def ancestors(self, name: str) -> list[str]:
        """The base types of a type, nearest first (a cycle stops the walk)."""
        found: list[str] = []
        key = self.bases.get(_key(name))
        while key and key not in found:
            found.append(key)
            key = self.bases.get(key)
        return found

    def inherited(self, name: str, member: str) -> str | None:
        """The base type that declares ``member``, if one of ``name``'s ancestors does."""
        wanted = member.casefold()
        for base in self.ancestors(name):
            if wanted in self.members.get(base, set()):
                return self.names.get(base, base)
        return None


def _closure(
    roots: Iterable[str], edges: dict[str, set[str]], extra: dict[str, set[str]]
) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(edges.get(key, ()))
        todo.extend(extra.get(key, ()))
    return seen


def combine(old: Direction, new: Direction) -> Direction:
    """One direction from both specs' (a type request-only before and response-only after
    travels both ways for someone)."""
    ways = {d for d in (old, new) if d != "none"}
    if not ways:
        return "none"
    if "both" in ways or ways == {"request", "response"}:
        return "both"
    return next(iter(ways))
