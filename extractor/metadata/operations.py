"""Actions and functions: the docs' bound operations against the metadata's, by binding
and name, with their parameters, return types and request examples.

A docs operation bound to a type matches the metadata's operation of that name bound to the
type or to any of its base types (an action bound to ``directoryObject`` applies to a
``user``), whether bound to the entity or to a collection of it. When the binding the spec
gives is not one of those (``Range`` for ``workbookRange``), the operation of that name the
page's own request paths reach is the one it documents: the binding is reported, and the
rest compared. A page documents every operation of its name its request paths reach (one
page serves ``driveItem.search`` and ``drive.search`` alike).

Overloads (one name, one binding, several parameter lists) are scored against the union of
their parameters: a parameter some overload lacks is optional in the union.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.metadata.align import Context, Where, closest, type_text
from extractor.metadata.csdl import Operation, Parameter, TypeRef
from extractor.metadata.docs import DocsOperation, RequestExample

GroupKey = tuple[str, str]  # (binding type, short name); "" binds nothing


@dataclass(frozen=True, slots=True)
class Group:
    """The overloads of one operation name on one binding type."""

    key: GroupKey
    overloads: tuple[Operation, ...]

    @property
    def label(self) -> str:
        """As the spec names operations: the binding without ``microsoft.graph.``, the name."""
        binding, name = self.key
        short = binding.removeprefix("microsoft.graph.")
        return f"{short}.{name}" if short else name

    def parameters(self) -> dict[str, Parameter]:
        """The union of the overloads' parameters; those some overload lacks are optional."""
        union: dict[str, Parameter] = {}
        for overload in self.overloads:
            for parameter in overload.parameters:
                union.setdefault(parameter.name, parameter)
        return {
            name: parameter
            if all(name in {p.name for p in o.parameters} for o in self.overloads)
            else replace(parameter, optional=True)
            for name, parameter in union.items()
        }


def groups_of(operations: Sequence[Operation]) -> dict[GroupKey, Group]:
    found: dict[GroupKey, list[Operation]] = {}
    for operation in operations:
        binding = operation.binding.name if operation.binding is not None else ""
        found.setdefault((binding, operation.short_name), []).append(operation)
    return {key: Group(key, tuple(found[key])) for key in sorted(found)}


def align_operations(context: Context, examples: Sequence[RequestExample]) -> None:
    groups = groups_of(context.csdl.operations)
    by_name: dict[str, list[Group]] = {}
    for overloads in groups.values():
        by_name.setdefault(overloads.key[1].casefold(), []).append(overloads)
    documented: set[GroupKey] = set()
    tally = context.tally("operations")
    requests: dict[str, list[RequestExample]] = {}
    for example in examples:
        requests.setdefault(example.operation, []).append(example)
    for operation in context.docs.operations:
        if operation.kind not in ("action", "function") or not operation.name:
            continue
        if operation.binding_type is None:
            continue
        tally.docs += 1
        before = len(context.out.findings)
        group = _match(context, operation, groups, by_name)
        if group is not None:
            tally.docs_found += 1
            documented.add(group.key)
            _compare(context, operation, group, requests.get(operation.id, []))
            tally.agreeing += len(context.out.findings) == before
        documented.update(
            key
            for key in context.path_operations.get(operation.id, ())
            if key[1].casefold() == operation.name.casefold()
        )
    tally.metadata = len(groups)
    tally.metadata_found = len(documented)
    for key, group in groups.items():
        if key not in documented:
            _undocumented(context, group)


def _where(context: Context, operation: DocsOperation) -> Where:
    return context.page_line(operation.page)


def _match(
    context: Context,
    operation: DocsOperation,
    groups: dict[GroupKey, Group],
    by_name: dict[str, list[Group]],
) -> Group | None:
    """The metadata's operation the docs' one is, reporting how their names differ."""
    out, name = context.out, operation.name or ""
    element, where = ("operations", operation.id), _where(context, operation)
    binding, _ = context.resolve(operation.binding_type or "")
    chain = context.csdl.ancestors(binding) if binding is not None else []
    named = by_name.get(name.casefold(), [])
    for owner in chain:
        exact = groups.get((owner, name))
        if exact is not None:
            return exact
    for owner in chain:
        for group in named:
            if group.key[0] == owner:
                out.add(
                    "operation-name-case",
                    element,
                    where,
                    name,
                    group.key[1],
                    f"the metadata spells it {group.key[1]} (bound to {owner})",
                )
                return group
    if named:
        # the page's own request paths say which of them it documents, if they reach one
        reached = [g for g in named if g.key in context.path_operations.get(operation.id, ())]
        bindings = sorted({g.key[0] or "(unbound)" for g in reached or named})
        shown = ", ".join(bindings[:4]) + (
            f" and {len(bindings) - 4} more" if len(bindings) > 4 else ""
        )
        how = " (which its request paths reach)" if reached else ""
        out.add(
            "operation-binding-differs",
            element,
            where,
            f"{name} bound to {operation.binding_type}",
            f"{named[0].key[1]} bound to {shown}{how}",
            f"the metadata binds {named[0].key[1]} to {shown}{how}, not to "
            f"{operation.binding_type} or its base types",
        )
        return reached[0] if len(reached) == 1 else None
    out.add(
        "operation-not-in-metadata",
        element,
        where,
        f"{operation.kind} {name} bound to {operation.binding_type}",
        "no action or function of that name",
        f"the metadata has no action or function {name}",
    )
    return None


def _compare(
    context: Context, operation: DocsOperation, group: Group, examples: list[RequestExample]
) -> None:
    out, where = context.out, _where(context, operation)
    kinds = {o.kind for o in group.overloads}
    if operation.kind not in kinds:
        out.add(
            "operation-kind-differs",
            ("operations", operation.id),
            where,
            operation.kind,
            "/".join(sorted(kinds)),
            f"the docs call {operation.name} an {operation.kind}, the metadata a "
            f"{'/'.join(sorted(kinds))}",
        )
    union = _parameters(context, operation, group)
    _return_type(context, operation, group, where)
    documented = {p.name.casefold() for p in operation.parameters}
    known = documented | {name.casefold() for name in union}
    sent: set[str] = set()
    for example in sorted(examples, key=lambda e: (e.page, e.line)):
        for key in example.keys:
            if key.startswith("@") or key.casefold() in known or key in sent:
                continue
            sent.add(key)
            out.add(
                "example-parameter-not-in-metadata",
                ("operations", operation.id, "parameters", key),
                (example.page, example.line or None),
                f"request example sends {key}",
                f"no parameter {key} in {group.label}",
                f"the request example sends {key}, which neither the page's parameter "
                f"table nor the metadata's {group.label} has",
            )


def _parameters(context: Context, operation: DocsOperation, group: Group) -> dict[str, Parameter]:
    out, tally = context.out, context.tally("parameters")
    page = operation.page
    union = group.parameters()
    folded = {name.casefold(): name for name in reversed(list(union))}
    for parameter in operation.parameters:
        tally.docs += 1
        element = ("operations", operation.id, "parameters", parameter.name)
        where = context.member_line(page, "parameters", parameter.name)
        said = type_text(parameter.type, parameter.collection)
        found = union.get(parameter.name) or union.get(folded.get(parameter.name.casefold(), ""))
        if found is None:
            out.add(
                "docs-parameter-not-in-metadata",
                element,
                where,
                f"{parameter.name}: {said}",
                f"not a parameter of {group.label}{closest(parameter.name, union)}",
                f"the metadata's {group.label} has no parameter {parameter.name}",
            )
            continue
        tally.docs_found += 1
        before = len(out.findings)
        if found.name != parameter.name:
            out.add(
                "parameter-name-case",
                element,
                where,
                parameter.name,
                found.name,
                f"the metadata spells it {found.name}",
            )
        context.compare_types(
            tally,
            element,
            where,
            parameter,
            found.type,
            "operation-parameter-type-differs",
            "parameter-collection-differs",
        )
        tally.agreeing += len(out.findings) == before
    documented = {p.name.casefold() for p in operation.parameters}
    for name, declared in union.items():
        tally.metadata += 1
        if name.casefold() in documented:
            tally.metadata_found += 1
            continue
        optional = declared.optional
        out.add(
            "optional-parameter-not-in-docs" if optional else "metadata-parameter-not-in-docs",
            ("operations", operation.id, "parameters", name),
            context.section_line(page, "Request body", "Function parameters", "Parameters"),
            "not listed"
            + closest(name, [p.name for p in operation.parameters], "; the docs list "),
            f"{'optional ' if optional else ''}parameter {name}: {declared.type}",
            f"the metadata's {group.label} has {'optional ' if optional else ''}parameter "
            f"{name}; the docs do not list it",
        )
    return union


def _return_type(context: Context, operation: DocsOperation, group: Group, where: Where) -> None:
    tally = context.tally("returnTypes")
    tally.docs += 1
    tally.docs_found += 1
    said_type, said_collection = operation.response_type, operation.response_collection
    returns = [o.return_type for o in group.overloads]
    said = type_text(said_type, said_collection) if said_type else "(no body)"
    if any(_same_return(said_type, said_collection, r) for r in returns):
        tally.agreeing += 1
        return
    meta = next((r for r in returns if r is not None), None)
    shown = str(meta) if meta is not None else "(no return type)"
    element = ("operations", operation.id, "returnType")
    rule = "return-type-differs"
    if said_type is not None and meta is not None:  # no type rule: the collection differs
        rule = context.type_rule(said_type, [], meta, rule) or "return-collection-differs"
    context.out.add(
        rule, element, where, said, shown, f"the docs return {said}, the metadata {shown}"
    )


def _same_return(name: str | None, collection: bool, meta: TypeRef | None) -> bool:
    if meta is None or name is None:
        return meta is None and name is None
    return name == meta.name and collection == meta.collection


def _undocumented(context: Context, group: Group) -> None:
    binding, name = group.key
    reached = context.reached_operations.get(group.key)
    if reached is not None:
        docs_id, where, path = reached
        context.out.add(
            "operation-not-identified",
            ("operations", group.label),
            where,
            f"{docs_id} ({path}) is not read as {name}",
            f"{group.overloads[0].kind} {name} bound to {binding or '(nothing)'}",
            f"the docs' {docs_id} requests {path}, which is the metadata's "
            f"{group.label}; the spec does not read it as that operation",
        )
        return
    page = context.type_pages.get(binding)
    context.out.add(
        "metadata-operation-not-in-docs",
        ("operations", group.label),
        context.section_line(page, "Methods"),
        "no page documents it",
        f"{group.overloads[0].kind} {name} bound to {binding or '(nothing)'}",
        f"no page of {context.version} documents {group.label}",
    )
