"""The service's CSDL 4.0 (EDMX) metadata, read with the standard library's XML parser.

Only structure is kept (names, types, collections, bases, members, bindings, parameters,
return types, the entity container): it is what the SDKs are generated from, while the
descriptions were largely copied from the docs. Every type name is fully qualified with its
namespace (``graph.call`` becomes ``microsoft.graph.call``), so that the rest of the package
never sees an alias. The result is a set of frozen dataclasses with a few indexes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
OPTIONAL_PARAMETER = "Org.OData.Core.V1.OptionalParameter"
VERSIONS = ("v1.0", "beta")
#: A version as a word of a file or folder name: ``v1.0-2021-08-24.xml``,
#: ``cleanMetadataWithDescriptionsv1.0.xml``, ``clean_v10_metadata``, ``beta_metadata.xml``.
_VERSION_WORDS = (
    ("v1.0", re.compile(r"v1\.?0(?![0-9]|\.[0-9])", re.IGNORECASE)),
    ("beta", re.compile(r"(?<![a-z])beta(?![a-z])", re.IGNORECASE)),
)


class CsdlError(ValueError):
    """The file is not readable CSDL: the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type as CSDL writes it, alias resolved: ``Collection(graph.x)`` is x, collection."""

    name: str
    collection: bool = False

    def __str__(self) -> str:
        return f"Collection({self.name})" if self.collection else self.name


@dataclass(frozen=True, slots=True)
class Member:
    """A structural or navigation property, as declared on one type."""

    name: str
    type: TypeRef
    navigation: bool = False
    nullable: bool = True
    contains_target: bool = False


@dataclass(frozen=True, slots=True)
class StructuredType:
    name: str
    kind: Literal["entity", "complex"]
    base_type: str | None = None
    abstract: bool = False
    open_type: bool = False
    members: tuple[Member, ...] = ()


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: int | None = None


@dataclass(frozen=True, slots=True)
class EnumType:
    name: str
    flags: bool = False
    underlying_type: str = "Edm.Int32"
    members: tuple[EnumMember, ...] = ()


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type: TypeRef
    nullable: bool = True
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    """An action or function; a bound one's first parameter is its binding, kept apart."""

    name: str  # qualified: microsoft.graph.transfer
    kind: Literal["action", "function"]
    binding: TypeRef | None = None
    parameters: tuple[Parameter, ...] = ()
    return_type: TypeRef | None = None
    composable: bool = False

    @property
    def short_name(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class ContainerMember:
    """An entity set, singleton or operation import of the entity container."""

    name: str
    kind: Literal["entity-set", "singleton", "action-import", "function-import"]
    target: str  # the entity type, or the imported operation


@dataclass(frozen=True)
class Csdl:
    """One metadata document: every schema's types, enums, operations and container."""

    source: str
    namespaces: tuple[str, ...]
    aliases: dict[str, str]
    types: dict[str, StructuredType]
    enums: dict[str, EnumType]
    type_definitions: dict[str, str]
    operations: tuple[Operation, ...]
    container: tuple[ContainerMember, ...]
    version: str | None = None
    _folded: dict[str, str] = field(default_factory=dict, repr=False)
    _derived: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _ancestors: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _members: dict[str, dict[str, tuple[Member, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name in (*self.types, *self.enums):
            self._folded.setdefault(name.casefold(), name)
        for name, typedef in sorted(self.types.items()):
            if typedef.base_type is not None:
                self._derived.setdefault(typedef.base_type, []).append(name)

    def find(self, name: str) -> str | None:
        """The metadata's spelling of a type or enum name, matched exactly, else ignoring
        case (callers compare the two to report a case-only difference)."""
        if name in self.types or name in self.enums:
            return name
        return self._folded.get(name.casefold())

    def ancestors(self, name: str) -> list[str]:
        """``name`` and its base types, most derived first (a cycle ends the walk); the
        list is shared between calls, not to be changed."""
        chain = self._ancestors.get(name)
        if chain is None:
            chain = self._ancestors[name] = self._chain(name)
        return chain

    def _chain(self, name: str) -> list[str]:
        chain: list[str] = []
        current: str | None = name
        while current is not None and current not in chain:
            chain.append(current)
            typedef = self.types.get(current)
            current = typedef.base_type if typedef is not None else None
        return chain

    def descendants(self, name: str) -> list[str]:
        """Every type deriving from ``name``, directly or not, sorted."""
        found: set[str] = set()
        todo = [name]
        while todo:
            for child in self._derived.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return sorted(found)

    def members_of(self, name: str) -> dict[str, tuple[Member, str]]:
        """Every member a type has, its own and inherited, with the type declaring it
        (shared between calls, not to be changed)."""
        found = self._members.get(name)
        if found is None:
            found = self._members[name] = {}
            for owner in self.ancestors(name):
                typedef = self.types.get(owner)
                for member in typedef.members if typedef is not None else ():
                    found.setdefault(member.name, (member, owner))
        return found


def version_from_name(path: str | Path) -> str | None:
    """The API version a metadata file's name (or its folder's) gives, if exactly one.

    EDMX carries no API version (``Version="4.0"`` is CSDL's own), and nothing in either
    file of ``../shared/metadata`` says which API it describes; the names do, as in
    Microsoft's msgraph-metadata repository.
    """
    candidate = Path(path)
    for part in (candidate.name, candidate.parent.name):
        said = {version for version, word in _VERSION_WORDS if word.search(part)}
        if len(said) == 1:
            return said.pop()
        if said:
            return None  # both words: the name does not say
    return None


def read_csdl(path: str | Path) -> Csdl:
    """Parse a metadata file; ``CsdlError`` (one line) when it cannot be read as CSDL."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CsdlError(f"cannot read {path}: {error.strerror or error}") from error
    return parse_csdl(data, str(path), version_from_name(path))


def parse_csdl(data: bytes | str, source: str = "<string>", version: str | None = None) -> Csdl:
    """A ``Csdl`` from EDMX (or a bare ``Schema``) text."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise CsdlError(f"{source} is not well-formed XML: {error}") from error
    if root.tag == f"{EDMX}Edmx":
        schemas = [s for d in root.iter(f"{EDMX}DataServices") for s in d.iter(f"{EDM}Schema")]
    elif root.tag == f"{EDM}Schema":
        schemas = [root]
    else:
        raise CsdlError(f"{source} is not CSDL: its root element is {_local(root.tag)}")
    if not schemas:
        raise CsdlError(f"{source} holds no CSDL schema")
    aliases = {
        element.get("Alias", ""): element.get("Namespace", "")
        for element in [*root.iter(f"{EDMX}Include"), *schemas]
        if element.get("Alias")
    }
    reader = _Reader(aliases)
    for schema in schemas:
        reader.optional_targets(schema)
    for schema in schemas:
        reader.schema(schema)
    return Csdl(
        source=source,
        namespaces=tuple(s.get("Namespace", "") for s in schemas),
        aliases=aliases,
        types=reader.types,
        enums=reader.enums,
        type_definitions=reader.type_definitions,
        operations=tuple(reader.operations),
        container=tuple(reader.container),
        version=version,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Reader:
    """Walks the schemas, resolving aliases as it goes."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.types: dict[str, StructuredType] = {}
        self.enums: dict[str, EnumType] = {}
        self.type_definitions: dict[str, str] = {}
        self.operations: list[Operation] = []
        self.container: list[ContainerMember] = []
        #: (operation, parameter) or (operation, parameter, binding) made optional
        self.optional: set[tuple[str, ...]] = set()

    def qualified(self, name: str) -> str:
        namespace, dot, short = name.rpartition(".")
        if dot and namespace in self.aliases:
            return f"{self.aliases[namespace]}.{short}"
        return name

    def type_ref(self, text: str | None) -> TypeRef:
        text = (text or "").strip()
        if text.startswith("Collection(") and text.endswith(")"):
            return TypeRef(self.qualified(text[len("Collection(") : -1].strip()), True)
        return TypeRef(self.qualified(text))

    def is_optional(self, element: ET.Element) -> bool:
        return any(
            self.qualified(note.get("Term", "")) == OPTIONAL_PARAMETER
            for note in element.iter(f"{EDM}Annotation")
        )

    def optional_targets(self, schema: ET.Element) -> None:
        """Parameters made optional by out-of-line ``Annotations`` (CSDL allows both)."""
        for block in schema.iter(f"{EDM}Annotations"):
            target = block.get("Target", "")
            operation, slash, parameter = target.partition("/")
            if not slash or not self.is_optional(block):
                continue
            name, _, signature = operation.partition("(")
            key = (self.qualified(name.strip()), parameter.strip())
            bindings = [self.type_ref(part) for part in signature.rstrip(")").split(",") if part]
            self.optional.add((*key, str(bindings[0])) if bindings else key)

    def schema(self, schema: ET.Element) -> None:
        namespace = schema.get("Namespace", "")
        for element in schema:
            tag, name = _local(element.tag), element.get("Name", "")
            qualified = f"{namespace}.{name}"
            if tag in ("EntityType", "ComplexType"):
                self.types[qualified] = self.structured(element, qualified, tag)
            elif tag == "EnumType":
                self.enums[qualified] = self.enum(element, qualified)
            elif tag == "TypeDefinition":
                self.type_definitions[qualified] = element.get("UnderlyingType", "")
            elif tag in ("Action", "Function"):
                self.operations.append(self.operation(element, qualified, tag))
            elif tag == "EntityContainer":
                self.container.extend(self.container_members(element))

    def structured(self, element: ET.Element, name: str, tag: str) -> StructuredType:
        members = []
        for child in element:
            kind = _local(child.tag)
            if kind in ("Property", "NavigationProperty"):
                members.append(
                    Member(
                        name=child.get("Name", ""),
                        type=self.type_ref(child.get("Type")),
                        navigation=kind == "NavigationProperty",
                        nullable=child.get("Nullable", "true") != "false",
                        contains_target=child.get("ContainsTarget") == "true",
                    )
                )
        base = element.get("BaseType")
        return StructuredType(
            name=name,
            kind="entity" if tag == "EntityType" else "complex",
            base_type=self.qualified(base) if base else None,
            abstract=element.get("Abstract") == "true",
            open_type=element.get("OpenType") == "true",
            members=tuple(members),
        )

    def enum(self, element: ET.Element, name: str) -> EnumType:
        members = []
        for child in element.iter(f"{EDM}Member"):
            value = child.get("Value")
            try:
                number = int(value) if value is not None else None
            except ValueError:
                number = None
            members.append(EnumMember(child.get("Name", ""), number))
        return EnumType(
            name=name,
            flags=element.get("IsFlags") == "true",
            underlying_type=element.get("UnderlyingType", "Edm.Int32"),
            members=tuple(members),
        )

    def operation(self, element: ET.Element, name: str, tag: str) -> Operation:
        parameters = [
            Parameter(
                name=child.get("Name", ""),
                type=self.type_ref(child.get("Type")),
                nullable=child.get("Nullable", "true") != "false",
                optional=self.is_optional(child),
            )
            for child in element.iter(f"{EDM}Parameter")
        ]
        bound = element.get("IsBound") == "true" and bool(parameters)
        if self.optional:  # annotated from outside: Target="ns.op(ns.binding)/parameter"
            binding = str(parameters[0].type) if bound else ""
            parameters = [
                replace(p, optional=True)
                if (name, p.name) in self.optional or (name, p.name, binding) in self.optional
                else p
                for p in parameters
            ]
        returned = next(element.iter(f"{EDM}ReturnType"), None)
        return Operation(
            name=name,
            kind="action" if tag == "Action" else "function",
            binding=parameters[0].type if bound else None,
            parameters=tuple(parameters[1:] if bound else parameters),
            return_type=self.type_ref(returned.get("Type")) if returned is not None else None,
            composable=element.get("IsComposable") == "true",
        )

    def container_members(self, container: ET.Element) -> Iterator[ContainerMember]:
        kinds = {
            "EntitySet": ("entity-set", "EntityType"),
            "Singleton": ("singleton", "Type"),
            "ActionImport": ("action-import", "Action"),
            "FunctionImport": ("function-import", "Function"),
        }
        for child in container:
            found = kinds.get(_local(child.tag))
            if found is not None:
                kind, attribute = found
                yield ContainerMember(
                    child.get("Name", ""),
                    kind,  # type: ignore[arg-type]
                    self.qualified(child.get(attribute, "")),
                )
