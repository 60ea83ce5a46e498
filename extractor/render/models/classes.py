"""What one type, enum or parameter becomes in a version package: the Python annotation of
a wire type, fields with their ``Field(...)``, and the class and enum views."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from extractor.render.models.names import _member_name, _Unique, field_name
from extractor.render.models.text import _clean, _docstring, _string_expr
from extractor.render.models.views import (
    ClassView,
    EnumView,
    FieldView,
    MemberView,
    _present,
    _Version,
)
from extractor.schema import SpecEnumDef, SpecParameter, SpecTypeDef

_EDM_PYTHON: dict[str, str] = {
    "edm.string": "str",
    "edm.int16": "int",
    "edm.int32": "int",
    "edm.int64": "int",
    "edm.byte": "int",
    "edm.sbyte": "int",
    "edm.boolean": "bool",
    "edm.double": "float",
    "edm.single": "float",
    "edm.decimal": "float",
    # Typed values that keep their text (``wire``), or the docs' known placeholders.
    "edm.datetimeoffset": "DateTimeOffset | Placeholder",
    "edm.date": "Date | Placeholder",
    "edm.timeofday": "TimeOfDay | Placeholder",
    "edm.duration": "Duration | Placeholder",
    "edm.guid": "Guid | Placeholder",
    "edm.binary": "str",
    "edm.stream": "str",
    "edm.json": "Any",
    "edm.untyped": "Any",
}
_EDM_NOTED = frozenset(
    {
        "edm.binary",
        "edm.stream",
        "edm.json",
        "edm.untyped",
    }
)


def is_primitive(type_name: str | None) -> bool:
    """Whether a type name is an OData primitive, written ``Edm.String`` or just ``String``."""
    lowered = (type_name or "").strip().lower()
    return lowered.startswith("edm.") or "edm." + lowered in _EDM_PYTHON


def _python_type(view: _Version, type_name: str | None, needs: set[str]) -> tuple[str, str | None]:
    """The annotation of one (non-collection) wire type, and a note for the description."""
    if not type_name:
        return "Any", None
    lowered = type_name.lower()
    if "." not in lowered and "edm." + lowered in _EDM_PYTHON:
        lowered = "edm." + lowered  # a bare "String" is the primitive, whatever its page says
        type_name = "Edm." + type_name
    if lowered.startswith("edm."):
        python = _EDM_PYTHON.get(lowered)
        if python is None:
            return "Any", type_name
        return python, type_name if lowered in _EDM_NOTED else None
    if lowered.rsplit(".", 1)[-1] == "json":
        return "Any", f"{type_name}: any JSON value"
    class_name = view.class_of(type_name)
    if class_name is not None:
        needs.add(class_name)
        return f"Nested[{class_name}]", None
    enum_name = view.enum_names.get(type_name)
    if enum_name is not None:
        needs.add(enum_name)
        return f"Open[{enum_name}]", None
    return "Any", f"{type_name}, not documented in {view.version}"


def _field(view: _Version, param: SpecParameter, name: str, needs: set[str]) -> FieldView:
    candidates = [param.type, *param.alternatives] if param.type else list(param.alternatives)
    annotations: list[str] = []
    notes: list[str] = []
    refs: set[str] = set()
    models: list[str] = []
    for candidate in dict.fromkeys(candidates) or [None]:
        annotation, note = _python_type(view, candidate, refs)
        if annotation.startswith("Nested["):
            if annotation[7:-1] not in models:
                models.append(annotation[7:-1])
            annotation = ""
        for part in annotation.split(" | ") if annotation else []:
            if part not in annotations:
                annotations.append(part)
        if note:
            notes.append(note)
    if models:  # "X or Y": one Nested picks the alternative that @odata.type names
        annotations.insert(0, "Nested[" + " | ".join(models) + "]")
    inner = "Any" if "Any" in annotations else " | ".join(annotations)
    # OData: nullable unless the page says "not nullable" (a collection then is never null).
    optional = "" if param.nullable is False else " | None"
    if param.collection:
        annotation = f"list[{inner}]{optional}"
    else:
        annotation = "Any" if inner == "Any" else f"{inner}{optional}"
    alias = param.name if name != param.name else None
    default = _field_default(alias, param.description, param.deprecated, tuple(notes))
    if not optional and default == "None":  # left out is fine, null is not: Field keeps
        default = "Field(default=None)"  # type checkers from reading None as the field's type
    needs.update(refs)
    return FieldView(name=name, annotation=annotation, default=default, alias=alias)


@lru_cache(maxsize=1 << 16)
def _field_default(
    alias: str | None, description: str | None, deprecated: bool, notes: tuple[str, ...]
) -> str:
    """A field's ``Field(...)``, or ``None``: most parameters recur in both versions' packages."""
    text = _clean(description)
    extras = []
    if deprecated and "deprecated" not in text.lower():
        extras.append("Deprecated.")
    if notes:
        note = "; ".join(notes)
        extras.append(f"({note})" if text or extras else note)
    text = " ".join(part for part in [text, *extras] if part)
    arguments = ["default=None"]
    if alias is not None:
        arguments.append(f"alias={_string_expr(alias)}")
    if text:
        arguments.append(f"description={_string_expr(text)}")
    return "None" if len(arguments) == 1 else "Field(" + ", ".join(arguments) + ")"


def _fields(
    view: _Version,
    params: Iterable[SpecParameter],
    parent_versions: list[str],
    inherited: dict[str, str],
    needs: set[str],
) -> tuple[list[FieldView], dict[str, str]]:
    """Fields of the parameters present in the version; ``inherited`` maps alias → name."""
    by_alias = dict(inherited)
    unique = _Unique(inherited.values(), "_")
    fields: list[FieldView] = []
    seen: set[str] = set()
    for param in params:
        if not _present(param.versions, view.version, parent_versions):
            continue
        param = param.in_version(view.version)
        if param.name in seen or param.name.lower() == "@odata.type" or not param.name.strip():
            continue
        seen.add(param.name)
        name = by_alias.get(param.name)
        if name is None:
            name = unique(field_name(param.name))
            by_alias[param.name] = name
        fields.append(_field(view, param, name, needs))
    return fields, by_alias


def _type_doc(typedef: SpecTypeDef, base_note: str | None) -> str:
    kind = f"{'abstract ' if typedef.abstract else ''}{'open ' if typedef.open_type else ''}"
    facts = [f"Graph {kind}{typedef.kind} type `{typedef.name}`."]
    if typedef.key:
        facts.append(f"Key: `{typedef.key}`.")
    if base_note:
        facts.append(base_note)
    paragraphs = [typedef.description, " ".join(facts)]
    if typedef.inferred:
        paragraphs.append(
            "Inferred from the documentation's examples: no page describes this type, "
            "so its fields are what the examples show."
        )
    return _docstring(paragraphs)


def _enum_view(view: _Version, enum: SpecEnumDef, name: str) -> EnumView:
    members: list[MemberView] = []
    unique = _Unique(separator="_")
    values: set[str] = set()
    for member in enum.members:
        if not _present(member.versions, view.version, enum.versions):
            continue
        value = member.name.strip() or (str(member.value) if member.value is not None else "")
        if not value or value in values:
            continue
        values.add(value)
        member_name = unique(_member_name(value))
        doc = _clean(member.description)
        members.append(
            MemberView(member_name, _string_expr(value), _docstring([doc]) if doc else None, value)
        )
    doc = _docstring([enum.description, f"Graph enum `{enum.name}`."])
    return EnumView(name=name, docstring=doc, members=members)


def _class_view(
    view: _Version, qualified: str, module: str, inherited_aliases: dict[str, dict[str, str]]
) -> tuple[ClassView, dict[str, str]]:
    """One type's class, and the alias → field name map its subclasses inherit."""
    typedef = view.types[qualified].in_version(view.version)  # its base and flags there
    base = view.bases[qualified]
    base_class = view.names.types[base] if base is not None else "GraphModel"
    base_note = None
    if typedef.base_type and base is None:
        base_note = f"Derives from `{typedef.base_type}`, not documented in {view.version}."
    needs: set[str] = set()
    inherited = inherited_aliases[base] if base is not None else {"@odata.type": "odata_type"}
    fields, aliases = _fields(
        view,
        [*typedef.properties, *typedef.relationships],
        typedef.versions or view.all_versions,
        inherited,
        needs,
    )
    cls = ClassView(
        name=view.names.types[qualified],
        base=base_class,
        docstring=_type_doc(typedef, base_note),
        graph_type=_string_expr(qualified),
        fields=fields,
        module=module,
        needs=needs | ({base_class} if base is not None else set()),
        qualified=qualified,
    )
    return cls, aliases
