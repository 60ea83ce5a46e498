"""Everything the templates need for one version package: its classes, enums and modules,
request models, indexes and plan, each remade only when what it was made from changed."""

from __future__ import annotations

import itertools
from collections import defaultdict
from functools import partial

from extractor.render.models.classes import _class_view, _enum_view
from extractor.render.models.layout import (
    _depths,
    _exports,
    _index_entries,
    _merge_cycles,
    _module_order,
    _module_view,
    _resolve_bases,
    _sorted_classes,
)
from extractor.render.models.names import ROOT_NAMESPACE, _Names, _names_key, _namespace, module_for
from extractor.render.models.requests import _request_classes
from extractor.render.models.views import (
    ClassView,
    EnumView,
    ModuleView,
    PackagePlan,
    _class_plan,
    _present,
    _Version,
)
from extractor.reuse import RenderPieces
from extractor.schema import VERSIONS, UnifiedSpec


def _version_modules(
    spec: UnifiedSpec,
    names: _Names,
    version: str,
    all_versions: list[str],
    pieces: RenderPieces | None = None,
) -> dict[str, object]:
    """Everything the templates need for one version package.

    With ``pieces``, a class, request model or enum is made again only when its part (or,
    for a class, one of its bases) is not the very object of the last build, or when what
    every class reads (``scope``: the names, which types and enums the version has, bases
    and modules) changed.
    """
    pieces = pieces or RenderPieces()
    types = {t.name: t for t in spec.types if _present(t.versions, version, all_versions)}
    enums = [e for e in spec.enums if _present(e.versions, version, all_versions)]
    enum_names = {e.name: names.enums[e.name] for e in enums}
    bases = _resolve_bases(types, version)
    depths = _depths(bases)
    view = _Version(version, names, types, enum_names, bases, all_versions)

    type_module = {q: names.modules[_namespace(q)] for q in types}
    enum_module = {e.name: names.modules[_namespace(e.name)] for e in enums}
    edges: dict[str, set[str]] = defaultdict(set)
    for qualified, base in bases.items():
        if base is not None and type_module[base] != type_module[qualified]:
            edges[type_module[qualified]].add(type_module[base])
    all_modules = sorted(set(type_module.values()) | set(enum_module.values()))
    merged = _merge_cycles(all_modules, edges, names.modules.get(""))
    type_module = {q: merged[m] for q, m in type_module.items()}
    enum_module = {q: merged[m] for q, m in enum_module.items()}
    merged_edges: dict[str, set[str]] = defaultdict(set)
    for module, deps in edges.items():
        merged_edges[merged[module]].update(merged[d] for d in deps if merged[d] != merged[module])
    order = _module_order(set(merged.values()), merged_edges)
    position = {module: i for i, module in enumerate(order)}
    scope = pieces.memo(f"models/{version}/scope").canonical(
        "scope",
        "\0".join(
            [
                version,
                *all_versions,
                _names_key(names),
                *(f"{q}>{bases[q]}@{type_module[q]}" for q in sorted(types)),
                *(f"{q}={name}@{enum_module[q]}" for q, name in sorted(enum_names.items())),
            ]
        ),
    )

    # Classes, computed base-first so that inherited aliases keep their field names.
    inherited_aliases: dict[str, dict[str, str]] = {}
    classes: dict[str, ClassView] = {}
    class_memo = pieces.memo(f"models/{version}/classes")
    pending = sorted(types, key=lambda q: (depths[q], q))
    for qualified in pending:
        lineage: list[object] = [types[qualified]]
        ancestor = bases[qualified]
        while ancestor is not None:
            lineage.append(types[ancestor])
            ancestor = bases[ancestor]
        made = partial(_class_view, view, qualified, type_module[qualified], inherited_aliases)
        classes[qualified], inherited_aliases[qualified] = class_memo.get(
            qualified, (scope, *lineage), made
        )
    owner = {cls.name: cls.module for cls in classes.values()}
    owner.update({enum_names[q]: m for q, m in enum_module.items()})

    modules: dict[str, ModuleView] = {}
    by_module: dict[str, list[ClassView]] = defaultdict(list)
    for cls in classes.values():
        by_module[cls.module].append(cls)
    enums_by_module: dict[str, list[EnumView]] = defaultdict(list)
    enum_memo = pieces.memo(f"models/{version}/enums")
    for enum in enums:
        made_enum = partial(_enum_view, view, enum, enum_names[enum.name])
        enums_by_module[enum_module[enum.name]].append(
            enum_memo.get(enum.name, (scope, enum), made_enum)
        )
    namespaces: dict[str, set[str]] = defaultdict(set)
    for qualified, module in itertools.chain(type_module.items(), enum_module.items()):
        namespaces[module].add(_namespace(qualified))
    late: list[str] = []  # classes whose annotations name classes of later modules
    for module in order:
        titles = ", ".join(
            "`" + ".".join(part for part in (ROOT_NAMESPACE, namespace) if part) + "`"
            for namespace in sorted(namespaces[module])
        )
        modules[module] = _module_view(
            module,
            f"Types and enums of {titles} in Microsoft Graph {version}.",
            sorted(enums_by_module[module], key=lambda e: e.name),
            _sorted_classes(sorted(by_module[module], key=lambda c: c.name)),
            owner,
            position,
            late,
        )
    requests = _request_classes(spec, view, version, all_versions, scope, pieces)
    operations = None
    if requests:
        operations = _module_view(
            "operations",
            f"Request bodies of Microsoft Graph {version} actions, functions, creates and updates.",
            [],
            requests,
            owner,
            position,
            late,
        )
        operations.index_name = "OPERATION_REQUEST_INDEX"
        operations.index = _index_entries((c.operation or "", c.name) for c in requests)
    defined = [cls for module in order for cls in modules[module].classes]
    plan_memo = pieces.memo(f"models/{version}/plans")
    plan = PackagePlan(
        classes=tuple(
            plan_memo.get(cls.name, (cls,), partial(_class_plan, cls))
            for cls in [*defined, *requests]
        ),
        enums={
            enum.name: tuple((member.name, member.raw_value) for member in enum.members)
            for module in order
            for enum in modules[module].enums
        },
        type_index={q: names.types[q] for q in types},
        request_index={c.operation or "": c.name for c in requests},
    )
    return {
        "plan": plan,
        "version": version,
        "package": module_for(version),
        "modules": [modules[m] for m in order],
        "operations": operations,
        "late": sorted(late),
        "type_index": _index_entries(((q, names.types[q]) for q in types), 8),
        "enum_index": _index_entries(((e.name, enum_names[e.name]) for e in enums), 8),
        "request_names": sorted(c.name for c in requests),
        "exports": _exports(modules, order),
    }


def _all_versions(spec: UnifiedSpec) -> list[str]:
    found = set(VERSIONS)
    for items in (spec.types, spec.enums, spec.operations):
        for item in items:
            found.update(item.versions)
    return sorted(found)
