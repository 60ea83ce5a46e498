"""How a version package is laid out: bases within the version, inheritance depths, modules
merged where their bases form a cycle, module and class order, and each module's imports."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable

from extractor.render.models.text import _docstring, _literal, _string_expr, _width
from extractor.render.models.views import ClassView, EnumView, ModuleView
from extractor.schema import SpecTypeDef

_DIGITS = re.compile(r"(\d+)")
#: What field annotations use of ``_wire`` (``models/wire.py``, copied into each package).
WIRE_NAMES = ("Date", "DateTimeOffset", "Duration", "Guid", "Open", "Placeholder", "TimeOfDay")
_WIRE_NAME = re.compile(r"\b(" + "|".join(WIRE_NAMES) + r")\b")

LINE_LENGTH = 100
MAX_DEPTH = 50


def _resolve_bases(
    types: dict[str, SpecTypeDef], version: str | None = None
) -> dict[str, str | None]:
    """Each type's base within the version (as the version states it); unknown bases and
    cycle-closing edges become None."""
    bases: dict[str, str | None] = {}
    state: dict[str, int] = {}
    for start in sorted(types):
        path: list[str] = []
        current: str | None = start
        while current is not None and state.get(current, 0) == 0:
            state[current] = 1
            path.append(current)
            typedef = types[current]
            base = (typedef.in_version(version) if version else typedef).base_type
            nxt = base if base in types and base != current else None
            if nxt is not None and state.get(nxt) == 1:
                nxt = None
            bases[current] = nxt
            current = nxt
        for name in path:
            state[name] = 2
    return bases


def _sorted_classes(classes: list[ClassView]) -> list[ClassView]:
    """Alphabetical, except that a base always comes before the classes deriving from it."""
    local = {cls.name: cls for cls in classes}
    children: dict[str, list[str]] = defaultdict(list)
    ready: list[str] = []
    for cls in classes:
        if cls.base in local and cls.base != cls.name:
            children[cls.base].append(cls.name)
        else:
            ready.append(cls.name)
    heapq.heapify(ready)
    ordered: list[ClassView] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(local[name])
        for child in children.pop(name, []):
            heapq.heappush(ready, child)
    return ordered


def _merge_cycles(
    modules: list[str], edges: dict[str, set[str]], first: str | None = None
) -> dict[str, str]:
    """Map each module to the representative of its strongly connected component (Tarjan).

    Modules whose bases depend on each other in a circle become one; it takes the name of
    ``first`` (the root namespace's module) when that is among them, else the smallest name.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    merged: dict[str, str] = {}
    counter = 0
    for root in modules:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                representative = min(component, key=lambda m: (m != first, m))
                for member in component:
                    merged[member] = representative
    return merged


def _module_order(modules: set[str], edges: dict[str, set[str]]) -> list[str]:
    """Modules whose bases others use come first; ties alphabetical (edges form a DAG here)."""
    waiting = {m: {d for d in edges.get(m, ()) if d != m} for m in modules}
    users: dict[str, list[str]] = defaultdict(list)
    for module, deps in waiting.items():
        for dep in deps:
            users[dep].append(module)
    ready = [m for m, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        module = heapq.heappop(ready)
        order.append(module)
        for user in users.pop(module, []):
            waiting[user].discard(module)
            if not waiting[user]:
                heapq.heappush(ready, user)
    return order + sorted(modules - set(order))


def _import_line(module: str, names: Iterable[str], indent: int = 0) -> str:
    """``from .module import ...`` laid out as ruff's isort would, parenthesized when long.

    ruff would reorder the imports anyway, but a file it has to fix is linted twice.
    """
    ordered = sorted(set(names), key=_isort_key)
    line = f"from .{module} import " + ", ".join(ordered)
    if indent + len(line) <= LINE_LENGTH:
        return line
    return f"from .{module} import (\n" + "".join(f"    {name},\n" for name in ordered) + ")"


def _isort_key(name: str) -> tuple[int, list[str | int], list[str | int], str]:
    """isort's order of imported names: constants, classes, others; case-blind, numbers by value,
    then the name itself (ruff puts ``X01`` before ``X1``), so that no tie is left to chance."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, _natural(name.lower()), _natural(name), name


def _natural(text: str) -> list[str | int]:
    return [int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(text))]


def _module_view(
    module: str,
    title: str,
    enums: list[EnumView],
    classes: list[ClassView],
    owner: dict[str, str],
    position: dict[str, int],
    late: list[str],
) -> ModuleView:
    """Imports and annotations of one module; ``late`` collects classes to rebuild at the end.

    Names of modules imported earlier are imported at run time; names of later ones only for
    type checkers, and the classes using them are rebuilt by the package's ``__init__``.
    """
    here = position.get(module, len(position))
    runtime: dict[str, set[str]] = defaultdict(set)
    typing_only: dict[str, set[str]] = defaultdict(set)
    for cls in classes:
        is_late = False
        for needed in cls.needs:
            home = owner[needed]
            if home == module:
                continue
            if position.get(home, len(position)) < here:
                runtime[home].add(needed)
            else:
                typing_only[home].add(needed)
                is_late = True
        if is_late:
            late.append(cls.name)
    fields = [f for c in classes for f in c.fields]
    typing_names = [
        name
        for name, used in (
            ("TYPE_CHECKING", bool(typing_only)),
            ("Any", any(_uses_any(f.annotation) for f in fields)),
        )
        if used
    ]
    base_names = {"GraphModel"} if any(c.base == "GraphModel" for c in classes) else set()
    if any("Nested[" in f.annotation for f in fields):
        base_names.add("Nested")
    standard = ["from enum import StrEnum"] if enums else []
    if typing_names:
        standard.append("from typing import " + ", ".join(typing_names))
    third_party = ["from pydantic import Field"] if any(f.default != "None" for f in fields) else []
    local = [_import_line("_base", base_names)] if base_names else []
    wire_names = {name for f in fields for name in _WIRE_NAME.findall(f.annotation)}
    if wire_names:
        local.append(_import_line("_wire", wire_names))
    local.extend(_import_line(home, runtime[home]) for home in sorted(runtime))
    imports: list[str] = []  # isort's sections, a blank line between them
    for section in (standard, third_party, local):
        if section:
            imports.extend(["", *section] if imports else section)
    return ModuleView(
        name=module,
        docstring=_docstring([title]),
        imports=imports,
        typing_imports=[_import_line(h, typing_only[h], 4) for h in sorted(typing_only)],
        enums=enums,
        classes=classes,
    )


def _index_entries(pairs: Iterable[tuple[str, str]], indent: int = 4) -> list[str]:
    """``"key": Class,`` lines of an index dict, sorted; parenthesized when too long."""
    entries = []
    for key, name in sorted(pairs):
        line = f"{_literal(key)}: {name},"
        if _width(line) + indent > LINE_LENGTH:
            line = f"{_string_expr(key)}: (\n{name}\n),"
        entries.append(line)
    return entries


def _uses_any(annotation: str) -> bool:
    return re.search(r"\bAny\b", annotation) is not None


def _exports(modules: dict[str, ModuleView], order: list[str]) -> list[tuple[str, list[str]]]:
    result = []
    for module in order:
        view = modules[module]
        exported = [e.name for e in view.enums] + [c.name for c in view.classes]
        if exported:
            result.append((module, sorted(exported)))
    return result


def _depths(bases: dict[str, str | None]) -> dict[str, int]:
    """Each type's inheritance depth, in linear time; chains deeper than ``MAX_DEPTH`` are cut
    (the type derives from ``GraphModel``), as Python's own class creation is quadratic in it.
    """
    depths: dict[str, int] = {}
    for start in sorted(bases):
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in depths:
            path.append(current)
            current = bases[current]
        depth = depths[current] if current is not None else -1
        for name in reversed(path):
            depth += 1
            if depth > MAX_DEPTH:
                bases[name], depth = None, 0
            depths[name] = depth
    return depths
