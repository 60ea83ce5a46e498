"""The docs' request paths walked through the metadata: which entity sets, singletons and
navigation properties they reach, and which operations.

A path is resolved segment by segment, as an OData service would: an entity set or
singleton, a key, a member (navigation or structural), a type cast, a bound action or
function, a ``$`` segment. Only the first level below an entity set or singleton is held to
the metadata as findings (deeper segments often use the docs' own placeholders and shapes);
the walk goes on as far as it can, to learn which operation a path ends in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.metadata.align import Context, Where
from extractor.metadata.csdl import ContainerMember, Csdl, Member
from extractor.metadata.docs import DocsOperation, path_key
from extractor.metadata.operations import GroupKey, groups_of

#: A docs URL's origin and version (``https://graph.microsoft.com/v1.0``), dropped.
_ORIGIN = re.compile(r"^https?://[^/]+/(?:v1\.0|beta)(?=/)", re.IGNORECASE)
#: A drive item or site addressed by path: ``root:/{item-path}:`` or a trailing ``:/...``.
_ITEM_PATH = re.compile(r":/[^:]*(?::|$)")


#: A segment: slashes inside one level of parentheses or braces do not split it.
_SEGMENT = re.compile(r"(?:[^/({]|\([^()]*\)|\{[^{}]*\}|[({])+")


def segments(path: str) -> list[str]:
    """A request path's segments: no query, no whitespace, no item path (``root:/a/b:``),
    split at the slashes outside parentheses and braces."""
    path = _ORIGIN.sub("", "".join(path.split("?", 1)[0].split()))
    path = _ITEM_PATH.sub("", path.lstrip("~"))
    return [part.rstrip(":") for part in _SEGMENT.findall(path) if part.rstrip(":")]


@dataclass(frozen=True, slots=True)
class Walk:
    """How far a path got: its root (None when no entity set or singleton has that name),
    the first segment below it (after the key of an entity set), how the metadata reads that
    segment, and the operation the path ends in (None when it ends elsewhere)."""

    root: ContainerMember | None
    head: str  # the root as the docs spell it
    first: str | None = None  # the first segment's metadata name (the docs' when unknown)
    #: navigation, property, operation, cast, dollar; derived-member, derived-operation (a
    #: derived type's, reached without the cast the path needs); unknown
    first_kind: str | None = None
    first_spelling: str | None = None
    first_path: str = ""  # the path up to that segment
    operation: GroupKey | None = None


#: One step: (kind, metadata name, type reached or None, collection, binding of an operation)
Step = tuple[str, str, str | None, bool, str]


class Resolver:
    """Walks paths through one metadata document; members are indexed per type once."""

    def __init__(self, csdl: Csdl) -> None:
        self.csdl = csdl
        self.container = {m.name: m for m in csdl.container}
        self.folded = {m.name.casefold(): m for m in reversed(csdl.container)}
        self.groups = groups_of(csdl.operations)
        #: (binding, name casefolded): the group, for paths that spell a name otherwise
        self.folded_groups = {(b, n.casefold()): g for (b, n), g in reversed(self.groups.items())}
        self._members: dict[str, tuple[dict[str, Member], dict[str, Member]]] = {}

    def members(self, name: str) -> tuple[dict[str, Member], dict[str, Member]]:
        found = self._members.get(name)
        if found is None:
            exact = {n: member for n, (member, _) in self.csdl.members_of(name).items()}
            folded = {n.casefold(): m for n, m in reversed(list(exact.items()))}
            found = self._members[name] = (exact, folded)
        return found

    def walk(self, path: str) -> Walk | None:
        parts = segments(path)
        if not parts or parts[0].startswith(("{", "$")):
            return None  # a placeholder for any resource, or a batch: nothing to walk
        head = parts[0].partition("(")[0]
        root = self.container.get(head) or self.folded.get(head.casefold())
        if root is None or root.kind not in ("entity-set", "singleton"):
            return Walk(root, head)
        current: str = root.target
        many = root.kind == "entity-set" and "(" not in parts[0]
        first: tuple[str, str, str, str] | None = None
        operation: GroupKey | None = None
        for index, part in enumerate(parts[1:], start=1):
            step = self.step(current, many, part)
            shown = "/" + "/".join(parts[: index + 1])
            if step is None:
                operation = None
                first = first or (part, "unknown", part, shown)
                break
            kind, name, target, target_many, binding = step
            if first is None and kind != "key":
                first = (name, kind, part.partition("(")[0], shown)
            operation = (binding, name) if kind.endswith("operation") else None
            if target is None:
                break
            current, many = target, target_many
        if first is None:
            return Walk(root, head, operation=operation)
        name, kind, spelling, shown = first
        return Walk(root, head, name, kind, spelling, shown, operation)

    def step(self, current: str, many: bool, part: str) -> Step | None:
        if part.startswith("$"):
            return ("dollar", part, None, False, "")
        name = part.partition("(")[0]
        short = name.rpartition(".")[2]
        operation = self.operation(current, many, short)
        if operation is not None:
            return operation
        if "." in name:
            cast = self.csdl.find(name)
            if cast is not None and cast in self.csdl.types:
                return ("cast", cast, cast, many, "")
        if many:  # anything else below a collection addresses one of its entities
            return ("key", part, current, False, "")
        member = self.member(current, name, part)
        if member is not None:
            return member
        # the docs often leave out the cast to the derived type that declares the segment:
        # the walk goes on (to learn the operation it ends in), and the step says so
        for derived in self.csdl.descendants(current):
            found = self.member(derived, name, part) or self.operation(derived, many, short)
            if found is not None:
                kind, found_name, target, target_many, binding = found
                kind = "derived-operation" if kind == "operation" else "derived-member"
                return (kind, found_name, target, target_many, binding or derived)
        return None

    def member(self, current: str, name: str, part: str) -> Step | None:
        exact, folded = self.members(current)
        member = exact.get(name) or folded.get(name.casefold())
        if member is None:
            return None
        kind = "navigation" if member.navigation else "property"
        keyed = member.type.collection and "(" in part
        return (kind, member.name, member.type.name, member.type.collection and not keyed, "")

    def operation(self, current: str, many: bool, name: str) -> Step | None:
        """A bound operation of that name (else of that name ignoring case: pages write
        ``Cell(row=…)``) on the type, a base type, or a collection of them."""
        for binding in self.csdl.ancestors(current):
            group = self.groups.get((binding, name)) or self.folded_groups.get(
                (binding, name.casefold())
            )
            if group is None:
                continue
            for overload in group.overloads:
                if overload.binding is not None and overload.binding.collection == many:
                    returned = overload.return_type
                    return (
                        "operation",
                        group.key[1],
                        returned.name if returned is not None else None,
                        returned.collection if returned is not None else False,
                        binding,
                    )
        return None


def align_paths(context: Context) -> None:
    """Path findings (first level only) and reach counts; notes the operations paths reach."""
    resolver = Resolver(context.csdl)
    lines = context.lines
    roots: set[str] = set()
    navigations: set[tuple[str, str]] = set()
    reported: set[tuple[str, ...]] = set()
    walks: dict[str, Walk | None] = {}
    for operation in context.docs.operations:
        page = operation.page
        for request_path in operation.paths:
            key = path_key(request_path)
            if key not in walks:
                walks[key] = resolver.walk(request_path)
            walk = walks[key]
            if walk is None:
                continue
            line = lines.request_path(page, request_path) if lines is not None else None
            where = (page, line)
            if walk.root is None:
                _once(
                    context,
                    reported,
                    ("paths", "/" + walk.head),
                    where,
                    "path-root-not-in-metadata",
                    f"/{walk.head}",
                    "no entity set or singleton of that name",
                    f"{request_path}: no entity set or singleton {walk.head}",
                )
                continue
            roots.add(walk.root.name)
            if walk.head != walk.root.name:
                _once(
                    context,
                    reported,
                    ("paths", "/" + walk.head),
                    where,
                    "path-name-case",
                    walk.head,
                    walk.root.name,
                    f"the metadata spells it {walk.root.name}",
                )
            _first_level(context, reported, walk, where, request_path)
            if walk.first_kind == "navigation" and walk.first is not None:
                navigations.add((walk.root.name, walk.first))
            if walk.operation is not None:
                context.path_operations.setdefault(operation.id, set()).add(walk.operation)
            if walk.operation is not None and not _names(operation, walk.operation[1]):
                context.reached_operations.setdefault(
                    walk.operation, (operation.id, where, request_path.strip())
                )
    _reach(context, roots, navigations)


def _names(operation: DocsOperation, name: str) -> bool:
    return operation.name is not None and operation.name.casefold() == name.casefold()


def _once(
    context: Context,
    reported: set[tuple[str, ...]],
    element: tuple[str, ...],
    where: Where,
    rule: str,
    docs: str,
    metadata: str,
    message: str,
) -> None:
    """Each path element is reported once, from the first operation (by id) with it."""
    if (rule, *element) not in reported:
        reported.add((rule, *element))
        context.out.add(rule, element, where, docs, metadata, message)


def _first_level(
    context: Context, reported: set[tuple[str, ...]], walk: Walk, where: Where, path: str
) -> None:
    if walk.first is None or walk.root is None:
        return
    element = ("paths", walk.first_path)
    if walk.first_kind is not None and walk.first_kind.startswith("derived"):
        _once(
            context,
            reported,
            element,
            where,
            "path-segment-not-in-metadata",
            walk.first,
            f"declared on a type derived from {walk.root.target} only",
            f"{path}: {walk.first} needs a cast to the derived type that declares it",
        )
    elif walk.first_kind == "unknown":
        _once(
            context,
            reported,
            element,
            where,
            "path-segment-not-in-metadata",
            walk.first,
            f"not a member, operation or type cast of {walk.root.target}",
            f"{path}: {walk.root.target} has no member or operation {walk.first}",
        )
    elif walk.first_spelling is not None and walk.first_spelling != walk.first:
        _once(
            context,
            reported,
            element,
            where,
            "path-name-case",
            walk.first_spelling,
            walk.first,
            f"the metadata spells it {walk.first}",
        )


def _reach(context: Context, roots: set[str], navigations: set[tuple[str, str]]) -> None:
    """Which entity sets, singletons and their navigation properties no docs path reaches."""
    csdl, out = context.csdl, context.out
    navigations_of: dict[str, list[Member]] = {}
    for member in csdl.container:
        if member.kind not in ("entity-set", "singleton"):
            continue
        category = "entitySets" if member.kind == "entity-set" else "singletons"
        tally = context.tally(category)
        tally.metadata += 1
        page = context.type_pages.get(member.target)
        if member.name in roots:
            tally.metadata_found += 1
        else:
            rule = "entity-set-not-in-docs" if category == "entitySets" else "singleton-not-in-docs"
            out.add(
                rule,
                (category, member.name),
                (None, None),
                "no request path reaches it",
                f"{member.kind} {member.name} of {member.target}",
                f"no docs request path of {context.version} starts with /{member.name}",
            )
        if member.target not in navigations_of:
            navigations_of[member.target] = [
                m for m, _ in csdl.members_of(member.target).values() if m.navigation
            ]
        tally = context.tally("navigation")
        key = "/{id}" if member.kind == "entity-set" else ""
        for navigation in navigations_of[member.target]:
            tally.metadata += 1
            if (member.name, navigation.name) in navigations:
                tally.metadata_found += 1
                continue
            out.add(
                "navigation-not-in-docs",
                ("navigation", member.name, navigation.name),
                context.section_line(page, "Relationships"),
                "no request path reaches it",
                f"/{member.name}{key}/{navigation.name}: {navigation.type}",
                f"no docs request path of {context.version} reaches "
                f"/{member.name}{key}/{navigation.name}",
            )
