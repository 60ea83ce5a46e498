"""Operation ids unique in a version, without naming any page.

A page's record already gives its operation an id from its first path and kind. When
several pages of one version give the same id, they document one request (method and path):

* pages whose operation answers the same type document one operation, and become one: the
  spec keeps every page as a source of it, the first (see ``_rank``) as its text;
* pages answering other types document that request for a derived type (intune's
  ``POST /deviceManagement/deviceConfigurations`` has a page for each configuration type):
  each such type's operation is named as if the path cast to it
  (``deviceManagement.deviceConfigurations.windows10GeneralConfiguration.create``), while the
  type the path itself names (``deviceConfiguration``), else the base of the others, keeps
  the plain id.

Then a v1.0-only and a beta-only operation with one method and path become one operation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING

from extractor.read.httpblock.templates import singular
from extractor.read.pages.naming import bounded_id
from extractor.reconcile.text import _diag
from extractor.schema import Diagnostic, PageRecord

if TYPE_CHECKING:
    from extractor.reconcile.pages import _Page

_CRUD = frozenset({"create", "get", "list", "update", "delete"})


def type_bases(records: Iterable[PageRecord]) -> dict[str, str]:
    """Each documented type's base type, by short casefolded name."""
    bases: dict[str, str] = {}
    for record in records:
        typedef = record.type
        if typedef is not None and typedef.base_type:
            bases.setdefault(_short(typedef.name), _short(typedef.base_type))
    return bases


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold()


def subject(page: _Page) -> str | None:
    """The type a page's operation is about: the type it answers, else the type its
    request example sends."""
    operation = page.record.operation
    if operation is None:
        return None
    if operation.response.type:
        return operation.response.type.rsplit(".", 1)[-1]
    for example in page.record.examples:
        if example.role == "request" and isinstance(example.annotation, dict):
            odata = example.annotation.get("@odata.type")
            if isinstance(odata, str) and odata.strip().lstrip("#"):
                return odata.strip().lstrip("#").rsplit(".", 1)[-1]
    return None


def _ancestors(name: str, bases: dict[str, str]) -> list[str]:
    chain: list[str] = []
    current = bases.get(name)
    while current is not None and current not in chain and current != name:
        chain.append(current)
        current = bases.get(current)
    return chain


def _plain_subject(key: str, subjects: list[str], bases: dict[str, str]) -> str | None:
    """Of the subjects (casefolded, "" for none) of one id's pages, the one that keeps it:
    the type the path names, else the base of all the others, else no type at all; None
    when none of them is (every type's pages are then named after their type, so adding the
    page of the plain request later renames nothing)."""
    words = key.split(".")
    if len(words) > 1 and words[-1] in _CRUD:
        natural = singular(words[-2].rsplit("-", 1)[0]).casefold()
        if natural in subjects:
            return natural
    for candidate in subjects:
        others = [s for s in subjects if s and s != candidate]
        if candidate and all(candidate in _ancestors(other, bases) for other in others):
            return candidate
    return "" if "" in subjects else None


def _cast_id(key: str, type_name: str) -> str:
    """``a.b.create`` as if cast to ``T``: ``a.b.T.create``."""
    head, dot, last = key.rpartition(".")
    return bounded_id(f"{head}.{type_name}.{last}".split(".") if dot else [type_name, key])


def _rank(page: _Page) -> tuple[int, int, str, str]:
    """Which of the pages of one operation speaks for it: the one whose request lines keep
    to one method, then whose first path is the operation's, then by path."""
    record = page.record
    mixed = any(d.rule == "mixed-methods" for d in record.diagnostics)
    operation = record.operation
    paths = operation.paths if operation is not None else []
    return (int(mixed), len(paths), page.first_path, page.name)


def settle_ids(
    group: list[_Page], version: str, key: str, bases: dict[str, str], taken: set[str]
) -> list[Diagnostic]:
    """Make the pages of one version that give one id (``key``) one operation per type."""
    by_subject: dict[str, list[_Page]] = {}
    spelled: dict[str, str] = {}
    for page in sorted(group, key=_rank):
        found = subject(page)
        by_subject.setdefault(found.casefold() if found else "", []).append(page)
        if found:
            spelled.setdefault(found.casefold(), found)
    plain = _plain_subject(key, list(by_subject), bases)
    if plain and "" in by_subject:  # a page that names no type documents the plain request
        by_subject[plain] += by_subject.pop("")
    if len(by_subject) == 1:
        plain = next(iter(by_subject))
    diagnostics = []
    for name, pages in by_subject.items():
        op_id = key if name == plain else _cast_id(key, spelled[name])
        if op_id != key:
            while op_id.casefold() in taken:
                op_id += "_"
            taken.add(op_id.casefold())
        for rank, page in enumerate(pages):
            page.op_id, page.rank = op_id, rank
        for page in pages[1:]:
            diagnostics.append(
                _diag(
                    "duplicate-operation-id",
                    "info",
                    page.path,
                    None,
                    f"{pages[0].path} documents the same request in {version} ({key}); "
                    f"both are the operation {op_id!r}",
                )
            )
        if op_id != key:
            diagnostics.append(
                _diag(
                    "duplicate-operation-id",
                    "info",
                    pages[0].path,
                    None,
                    f"{key!r} in {version} is documented for several types; this page's "
                    f"({spelled[name]}) is named {op_id!r}",
                )
            )
    return diagnostics


_BRACED = re.compile(r"\{[^{}]*\}")


def _signature(pages: list[_Page]) -> set[tuple[str, str]]:
    """(method, path shape) pairs: what an operation is, whatever a page calls it."""
    shapes = set()
    for page in pages[:1]:
        operation = page.record.operation
        if operation is None:
            continue
        method = (operation.method or "").upper()
        for request_path in operation.paths:
            if request_path.query:
                continue
            path = "".join(request_path.path.split()).lower().rstrip("/")
            shapes.add((method, _BRACED.sub("{}", path)))
    return shapes


def _bound_to_a_type(pages: list[_Page], types: Set[str]) -> bool:
    operation = pages[0].record.operation
    binding = operation.binding_type if operation is not None else None
    return binding is not None and binding.casefold() in types


def match_versions(pages: list[_Page], types: Set[str] = frozenset()) -> list[Diagnostic]:
    """Join a v1.0-only and a beta-only operation that share a method and path.

    Pages name some operations differently in each version (their primary paths differ, or
    only one page's title names the type an action is bound to); a one-to-one match on
    (method, path) makes them one operation, under v1.0's id unless only beta's binds it to
    a documented type (``types``, casefolded): v1.0's ``createLink`` page reads its binding
    off the path (``items`` -> ``item``), beta's title says ``driveItem``.
    """
    ids: dict[str, dict[str, list[_Page]]] = {"v1.0": {}, "beta": {}}
    for page in pages:
        if page.op_id is not None and page.version in ids:
            ids[page.version].setdefault(page.op_id, []).append(page)
    for found in ids.values():
        for members in found.values():
            members.sort(key=lambda p: p.rank)
    only = {
        version: {i: p for i, p in ids[version].items() if i not in ids[other]}
        for version, other in (("v1.0", "beta"), ("beta", "v1.0"))
    }
    index: dict[str, dict[tuple[str, str], set[str]]] = {"v1.0": {}, "beta": {}}
    for version, found in only.items():
        for op_id, members in found.items():
            for element in _signature(members):
                index[version].setdefault(element, set()).add(op_id)

    def partners(version: str, other: str, op_id: str) -> set[str]:
        return {
            partner
            for element in _signature(only[version][op_id])
            for partner in index[other].get(element, ())
        }

    diagnostics = []
    for v1_id in sorted(only["v1.0"]):
        matches = partners("v1.0", "beta", v1_id)
        if len(matches) != 1:
            continue
        beta_id = matches.pop()
        if partners("beta", "v1.0", beta_id) != {v1_id}:
            continue
        v1_pages, beta_pages = only["v1.0"][v1_id], only["beta"][beta_id]
        merged, renamed = v1_id, beta_pages
        if _bound_to_a_type(beta_pages, types) and not _bound_to_a_type(v1_pages, types):
            merged, renamed = beta_id, v1_pages
        for page in [*v1_pages, *beta_pages]:
            page.op_id = merged
        first = renamed[0]
        diagnostics.append(
            _diag(
                "operation-id-differs",
                "info",
                first.path,
                None,
                f"v1.0 names this operation {v1_id!r} ({only['v1.0'][v1_id][0].path}) and "
                f"beta {beta_id!r}; same method and path, merged as {merged!r}",
            )
        )
    return diagnostics
