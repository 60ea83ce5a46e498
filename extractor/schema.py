"""Pydantic models of everything that crosses a stage boundary.

Records (one page, one version) and the unified spec (all pages, all versions) share
their item shapes: a spec item is a record item plus ``versions`` (and ``sources``).
Python names are snake_case; JSON names are camelCase, as users' scripts read them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

Severity = Literal["error", "warning", "info"]
PageKind = Literal["api", "resource", "enum", "conceptual", "unknown"]
ExampleRole = Literal["request", "response", "notification", "resource", "other"]
OperationKind = Literal["action", "function", "create", "get", "list", "update", "delete", "other"]
BodyKind = Literal[
    "json", "empty", "csv", "base64", "multipart", "mime", "placeholder", "xml", "text", "binary"
]
VERSIONS: tuple[str, ...] = ("beta", "v1.0")


class Model(BaseModel):
    """Base of every model: camelCase on the wire, snake_case in Python, no surprises."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
    )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its class and fields: a build's kept state holds a million models,
        and pydantic's own ``__setstate__`` (a state mapping and a set of the fields given,
        per model) made loading it 15% slower."""
        return (_unpickled, (type(self), self.__dict__))


_set_attribute = object.__setattr__


def _unpickled(cls: type[Model], fields: dict[str, Any]) -> Model:
    """A model back from ``Model.__reduce__``: its fields, no extra or private ones (none
    is allowed), and no record of which fields were given (nothing asks)."""
    model = cls.__new__(cls)
    _set_attribute(model, "__dict__", fields)
    _set_attribute(model, "__pydantic_fields_set__", set())
    _set_attribute(model, "__pydantic_extra__", None)
    _set_attribute(model, "__pydantic_private__", None)
    return model


# --- diagnostics ---------------------------------------------------------------------


class Diagnostic(Model):
    """A finding about the input, returned as data and never printed by a stage."""

    rule: str
    severity: Severity
    path: str
    line: int | None = None
    message: str


# --- shared leaf shapes --------------------------------------------------------------


class TypeRef(Model):
    """A type as OData writes it: ``Edm.String`` or ``microsoft.graph.call``, plus collection.

    ``type`` is None when the cell names no type (empty cell, ``None``); ``alternatives``
    holds every candidate when a cell says ``X or Y`` (``type`` is then the first one).
    """

    type: str | None = None
    collection: bool = False
    alternatives: list[str] = Field(default_factory=list)
    raw: str = ""


class Repair(Model):
    """One change made to a JSON body so that it parses; ``line`` is 1-based in the page."""

    kind: str
    line: int | None = None
    message: str


class HttpMessage(Model):
    """A parsed HTTP block: a request (method, url) or a response (status)."""

    kind: Literal["request", "response"]
    method: str | None = None
    url: str | None = None
    path: str | None = None
    query: str | None = None
    api_version: str | None = None
    host: str | None = None
    http_version: str | None = None
    status: int | None = None
    reason: str | None = None
    headers: list[tuple[str, str]] = Field(default_factory=list)
    body: str | None = None
    body_line: int | None = None
    extra_request_lines: list[str] = Field(default_factory=list)


class Example(Model):
    """A fenced example, with the annotation comment before it and its parsed content."""

    id: str
    role: ExampleRole
    name: str | None = None
    annotation: dict[str, Any] = Field(default_factory=dict)
    fence_info: str = ""
    http: HttpMessage | None = None
    json_value: Any = Field(default=None, alias="json")
    body_kind: BodyKind = "empty"
    raw_body: str | None = None
    repairs: list[Repair] = Field(default_factory=list)
    truncated: bool = False
    line: int
    end_line: int | None = None
    #: The page line of each key of the JSON body, in the order the text writes them.
    key_lines: list[int] = Field(default_factory=list)


# --- operations ----------------------------------------------------------------------


class RequestPath(Model):
    """A request path as a template (``/users/{user-id}/messages``). ``query`` holds the
    query items the page fixes on this path (``$expand=manager`` on ``/users``): such a path
    is a way to call another operation, never an operation's own slot."""

    path: str
    query: dict[str, str] = Field(default_factory=dict)
    deprecated: bool = False
    line: int | None = None


class Parameter(Model):
    """A request-body or function parameter, or a property or relationship of a type."""

    name: str
    type: str | None = None
    collection: bool = False
    alternatives: list[str] = Field(default_factory=list)
    deprecated: bool = False
    required: bool | None = None
    read_only: bool | None = None
    nullable: bool | None = None
    description: str = ""
    line: int | None = None


class Header(Model):
    name: str
    description: str = ""
    required: bool | None = None


class ResponseInfo(Model):
    status: int | None = None
    type: str | None = None
    collection: bool = False
    #: Every status the Response section says the operation returns (``status`` among them):
    #: ``204``, or ``200`` when the request asks for the representation.
    statuses: list[int] = Field(default_factory=list)


class Permissions(Model):
    """Per permission type, the scopes in the table's order; empty when not supported.

    Today's tables have a least privileged and a higher privileged column: the first goes
    to ``delegated_work`` (...), the second to ``delegated_work_higher`` (...). A 2021 table
    lists all scopes least to most privileged in one column, kept whole in the first lists.
    Any scope of either list grants access.
    """

    delegated_work: list[str] = Field(default_factory=list)
    delegated_personal: list[str] = Field(default_factory=list)
    application: list[str] = Field(default_factory=list)
    delegated_work_higher: list[str] = Field(default_factory=list)
    delegated_personal_higher: list[str] = Field(default_factory=list)
    application_higher: list[str] = Field(default_factory=list)

    def granted(self, kind: str) -> list[str]:
        """Every scope of one permission type (``delegated_work``, ...), least first."""
        least: list[str] = getattr(self, kind)
        return [*least, *(s for s in getattr(self, f"{kind}_higher") if s not in least)]


class Operation(Model):
    id: str
    kind: OperationKind = "other"
    binding_type: str | None = None
    name: str | None = None
    title: str = ""
    description: str = ""
    method: str | None = None
    paths: list[RequestPath] = Field(default_factory=list)
    parameters: list[Parameter] = Field(default_factory=list)
    #: Query parameters as the page documents them, OData system options (``$select``,
    #: ``$filter``, ...) among them under their ``$`` names.
    query_parameters: list[Parameter] = Field(default_factory=list)
    headers: list[Header] = Field(default_factory=list)
    response: ResponseInfo = Field(default_factory=ResponseInfo)
    #: None when the page's permissions table is in an include that was not found.
    permissions: Permissions | None = Field(default_factory=Permissions)


# --- types and enums -----------------------------------------------------------------


class TypeDef(Model):
    name: str
    kind: Literal["entity", "complex"] = "complex"
    base_type: str | None = None
    key: str | None = None
    abstract: bool = False
    open_type: bool = False
    description: str = ""
    inferred: bool = False
    properties: list[Parameter] = Field(default_factory=list)
    relationships: list[Parameter] = Field(default_factory=list)


class EnumMember(Model):
    name: str
    value: int | str | None = None
    description: str = ""


class EnumDef(Model):
    name: str
    description: str = ""
    members: list[EnumMember] = Field(default_factory=list)


# --- page record ---------------------------------------------------------------------


class SourceInfo(Model):
    path: str
    sha256: str
    locale: str | None = None
    sourcegitcommit: str | None = None
    lasthandoff: str | None = None


class Section(Model):
    title: str
    level: int
    anchor: str | None = None
    line: int


class PageRecord(Model):
    """Everything one page says, in English; later stages read nothing else."""

    source: SourceInfo
    version: Literal["v1.0", "beta"] | None = None
    kind: PageKind = "unknown"
    slug: str | None = None
    title: str = ""
    language: str = "en"
    namespace: str | None = None
    description: str = ""
    front_matter: dict[str, Any] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    operation: Operation | None = None
    type: TypeDef | None = None
    enums: list[EnumDef] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)


# --- unified spec --------------------------------------------------------------------


class SpecSource(Model):
    path: str
    version: str | None = None
    locale: str | None = None
    sourcegitcommit: str | None = None


class SpecRequestPath(RequestPath):
    versions: list[str] = Field(default_factory=list)


class ParameterFacts(Model):
    """What the ``versions`` named here say of a parameter or member where it differs from
    the top-level fields (the primary version's): every fact of those versions, not only
    the ones that differ, so that a version's view is this object or the top level."""

    versions: list[str] = Field(default_factory=list)
    type: str | None = None
    collection: bool = False
    alternatives: list[str] = Field(default_factory=list)
    deprecated: bool = False
    required: bool | None = None
    read_only: bool | None = None
    nullable: bool | None = None


class SpecLine(Model):
    """Where one version's definition of a member was read: the page and its line."""

    path: str
    version: str | None = None
    line: int | None = None


class SpecParameter(Parameter):
    """``type``, ``collection``, ``alternatives`` and the flags are the primary version's
    (v1.0 where the item is in v1.0); ``overrides`` lists the other versions' facts where
    they differ, and ``origins`` the page and line each version's member was read from (a
    type's members; a type defined on several pages takes members from each)."""

    versions: list[str] = Field(default_factory=list)
    overrides: list[ParameterFacts] = Field(default_factory=list)
    origins: list[SpecLine] = Field(default_factory=list)

    def in_version(self, version: str) -> SpecParameter:
        """This parameter as ``version`` documents it: itself, or a copy with the facts of
        the override that names ``version``."""
        for facts in self.overrides:
            if version in facts.versions:
                update = {name: getattr(facts, name) for name in _PARAMETER_FACTS}
                return self.model_copy(update={**update, "overrides": []})
        return self


class SpecResponse(ResponseInfo):
    versions: list[str] = Field(default_factory=list)


class SpecPermissions(Permissions):
    versions: list[str] = Field(default_factory=list)


class SpecOperation(Operation):
    """``response`` and ``permissions`` are the primary version's (v1.0 where the operation
    is in v1.0); ``responses`` and ``permission_sets`` list each distinct one with the versions
    that document it, since a beta page often asks for other scopes than its v1.0 page."""

    versions: list[str] = Field(default_factory=list)
    deprecated: bool = False
    paths: list[SpecRequestPath] = Field(default_factory=list)  # type: ignore[assignment]
    parameters: list[SpecParameter] = Field(default_factory=list)  # type: ignore[assignment]
    query_parameters: list[SpecParameter] = Field(default_factory=list)  # type: ignore[assignment]
    response: SpecResponse = Field(default_factory=SpecResponse)
    responses: list[SpecResponse] = Field(default_factory=list)
    permission_sets: list[SpecPermissions] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    sources: list[SpecSource] = Field(default_factory=list)

    def permissions_in(self, version: str) -> Permissions | None:
        """The permissions ``version`` documents; None when they are unknown (its include
        was not found); the primary ones when no set is kept (a spec written before sets)."""
        for permissions in self.permission_sets:
            if version in permissions.versions:
                return permissions
        return None if self.permission_sets and version in self.versions else self.permissions


class TypeFacts(Model):
    """What the ``versions`` named here say of a type where it differs from the top-level
    fields (the primary version's): every such fact of those versions."""

    versions: list[str] = Field(default_factory=list)
    base_type: str | None = None
    abstract: bool = False
    open_type: bool = False


class SpecTypeDef(TypeDef):
    """``baseType``, ``abstract`` and ``openType`` are the primary version's (v1.0 where the
    type is in v1.0); ``overrides`` lists the other versions' where they differ."""

    versions: list[str] = Field(default_factory=list)
    overrides: list[TypeFacts] = Field(default_factory=list)
    properties: list[SpecParameter] = Field(default_factory=list)  # type: ignore[assignment]
    relationships: list[SpecParameter] = Field(default_factory=list)  # type: ignore[assignment]
    sources: list[SpecSource] = Field(default_factory=list)

    def in_version(self, version: str) -> SpecTypeDef:
        """This type's own facts as ``version`` documents them (its members unchanged: see
        ``SpecParameter.in_version``): itself, or a copy with the override's facts."""
        for facts in self.overrides:
            if version in facts.versions:
                update = {name: getattr(facts, name) for name in _TYPE_FACTS}
                return self.model_copy(update={**update, "overrides": []})
        return self


#: The fields an override of a parameter, or of a type, replaces.
_PARAMETER_FACTS = tuple(name for name in ParameterFacts.model_fields if name != "versions")
_TYPE_FACTS = tuple(name for name in TypeFacts.model_fields if name != "versions")


class SpecEnumMember(EnumMember):
    versions: list[str] = Field(default_factory=list)


class SpecEnumDef(EnumDef):
    versions: list[str] = Field(default_factory=list)
    members: list[SpecEnumMember] = Field(default_factory=list)  # type: ignore[assignment]
    sources: list[SpecSource] = Field(default_factory=list)


class SpecRevision(Model):
    """A git revision a spec was read from: the repository, the revision as named, the
    commit it resolved to and the folder below which pages were read ("" for all)."""

    repository: str
    revision: str
    commit: str
    subpath: str = ""


class UnifiedSpec(Model):
    operations: list[SpecOperation] = Field(default_factory=list)
    types: list[SpecTypeDef] = Field(default_factory=list)
    enums: list[SpecEnumDef] = Field(default_factory=list)
    #: the git revision(s) the pages were read from; written to ``spec.json`` only when known
    revisions: list[SpecRevision] = Field(default_factory=list)


# --- diff ----------------------------------------------------------------------------


class Place(Model):
    """Where a change is in the docs: a page (as read: a path, or a path in a git
    revision) and the line of the item, when the page's record has it."""

    path: str
    line: int | None = None


class Change(Model):
    """The optional fields are written only when set (``render_diff_json`` leaves None
    out), so diffs that do not know pages keep the bytes they had."""

    rule: str
    severity: Literal["breaking", "deprecation", "non-breaking", "info"]
    location: list[str]
    message: str
    old: Place | None = None
    new: Place | None = None
    fingerprint: str | None = None
    old_text: str | None = None
    new_text: str | None = None


class DiffReport(Model):
    changes: list[Change] = Field(default_factory=list)


# --- build products ------------------------------------------------------------------


class Finding(Model):
    """Where an example contradicts its page (the strict check): the rule, the example's line
    in the page and the JSON path in its body (``$`` for the body, ``$url`` for the request
    URL, ``$status`` for the response status)."""

    rule: str
    severity: Severity
    path: str
    line: int | None = None
    message: str


class Fixture(Model):
    """One example as a test fixture: the parsed body plus where it came from."""

    id: str
    file: str
    page: str
    version: str | None = None
    locale: str | None = None
    role: ExampleRole
    type: str | None = None
    collection: bool = False
    operation: str | None = None
    method: str | None = None
    url: str | None = None
    status: int | None = None
    headers: list[tuple[str, str]] = Field(default_factory=list)
    body_kind: BodyKind = "empty"
    body: Any = None
    raw_body: str | None = None
    source_path: str
    line: int
    #: The page line of each key of the JSON body, in the order the text writes them.
    key_lines: list[int] = Field(default_factory=list)
    repaired: bool = False
    repairs: list[Repair] = Field(default_factory=list)
    truncated: bool = False
    annotation: dict[str, Any] = Field(default_factory=dict)
    pair: str | None = None
    valid: bool | None = None
    #: The strict check's findings (``render.fixtures.strict``); empty until it ran.
    findings: list[Finding] = Field(default_factory=list)


class BuildResult(Model):
    """What reconcile hands to the renderers: the spec, the fixtures, every diagnostic."""

    spec: UnifiedSpec
    fixtures: list[Fixture] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
