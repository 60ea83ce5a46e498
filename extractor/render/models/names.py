"""Names in the generated code: classes of types, enums and request models, fields, enum
members and modules, each unique where it must be (the rules are the package docstring's)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractor.schema import UnifiedSpec

ROOT_NAMESPACE = "microsoft.graph"

_BASEMODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)
#: Names a field must not take: annotations in the class body would resolve to the field.
_ANNOTATION_NAMES = frozenset({"str", "int", "float", "bool", "list", "dict", "any", "nested"})
_AMBIGUOUS = frozenset({"l", "o", "i"})  # ruff E741
_RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "BaseModel",
        "ClassVar",
        "CaseInsensitiveIndex",
        "ConfigDict",
        "Date",
        "DateTimeOffset",
        "Duration",
        "ENUM_INDEX",
        "False",
        "Field",
        "GraphModel",
        "Guid",
        "Nested",
        "None",
        "OPERATION_REQUEST_INDEX",
        "Open",
        "Placeholder",
        "StrEnum",
        "TYPE_CHECKING",
        "TYPE_INDEX",
        "TimeOfDay",
        "True",
    }
)
_RESERVED_MODULES = frozenset({"operations"})

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_WORD = re.compile(r"([A-Z])(?=[A-Z][a-z])")
_UNDERSCORES = re.compile(r"_+")

#: Longer attribute names come from broken tables; the alias keeps the whole wire name.
MAX_NAME = 80


def module_for(version: str) -> str:
    """The package name of a version: ``v1.0`` → ``v1_0``, ``beta`` → ``beta``."""
    name = _UNDERSCORES.sub("_", _NON_ALNUM.sub("_", version.strip().lower())).strip("_")
    if not name:
        return "unversioned"
    if name[0].isdigit():
        name = "v" + name
    return name + "_" if keyword.iskeyword(name) else name


def _pascal(text: str) -> str:
    return "".join(part[0].upper() + part[1:] for part in _NON_ALNUM.split(text) if part)


def _strip_root(name: str) -> str:
    name = name.strip().lstrip("#")
    lowered = name.lower()
    if lowered.startswith(ROOT_NAMESPACE + "."):
        return name[len(ROOT_NAMESPACE) + 1 :]
    if lowered == ROOT_NAMESPACE:
        return ""
    return name


def model_class_name(type_name: str) -> str:
    """The class of a qualified type or enum name before clash resolution.

    ``microsoft.graph.call`` → ``Call``; ``microsoft.graph.callRecords.session`` →
    ``CallRecordsSession``; other namespaces keep every segment (``graph.x`` → ``GraphX``).
    """
    name = _pascal(_strip_root(type_name))[:MAX_NAME] or "Unnamed"
    if name[0].isdigit():
        name = "T" + name
    return name + "_" if name in _RESERVED_CLASS_NAMES else name


def request_class_name(operation_id: str) -> str:
    """The request-body model of an operation: ``call.redirect`` → ``CallRedirectRequest``."""
    name = _pascal(operation_id)[:MAX_NAME] or "Operation"
    if name[0].isdigit():
        name = "Op" + name
    return name + "Request"


@lru_cache(maxsize=1 << 16)
def _snake(name: str) -> str:
    text = _NON_ALNUM.sub("_", name)
    text = _ACRONYM_WORD.sub(r"\1_", text)
    text = _LOWER_UPPER.sub(r"\1_\2", text)
    return _UNDERSCORES.sub("_", text).strip("_").lower()


@lru_cache(maxsize=1 << 16)
def field_name(wire_name: str) -> str:
    """A safe snake_case attribute for a wire name (``@odata.type`` → ``odata_type``)."""
    name = _snake(wire_name)[:MAX_NAME].rstrip("_") or "field"
    if name[0].isdigit():
        name = "n" + name
    if (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name in _BASEMODEL_ATTRIBUTES
        or name in _ANNOTATION_NAMES
        or name in _AMBIGUOUS
    ):
        name += "_"
    return name


def _member_name(value: str) -> str:
    name = _snake(value)[:MAX_NAME].rstrip("_").upper() or "EMPTY"
    return "V_" + name if name[0].isdigit() else name


def _namespace(qualified: str) -> str:
    stripped = _strip_root(qualified)
    return stripped.rsplit(".", 1)[0] if "." in stripped else ""


def _module_base(namespace: str) -> str:
    if not namespace:
        return "graph"
    name = _snake(namespace) or "graph"
    if name[0].isdigit():
        name = "ns_" + name
    name = name[:MAX_NAME].rstrip("_")
    if keyword.iskeyword(name) or name in _RESERVED_MODULES:
        name += "_"
    return name


@dataclass(frozen=True)
class _Names:
    """Class names of every type, enum and request model, and module names of namespaces."""

    types: dict[str, str]
    enums: dict[str, str]
    requests: dict[str, str]
    modules: dict[str, str]


class _Unique:
    """Hands out names not taken yet: ``wanted``, else ``wanted2``, ``wanted3``... in linear
    time overall, even when thousands of names want the same one."""

    def __init__(self, taken: Iterable[str] = (), separator: str = "") -> None:
        self.taken = set(taken)
        self.separator = separator
        self.next: dict[str, int] = {}

    def __call__(self, wanted: str) -> str:
        name = wanted
        if name in self.taken:
            n = self.next.get(wanted, 2)
            while f"{wanted}{self.separator}{n}" in self.taken:
                n += 1
            self.next[wanted] = n + 1
            name = f"{wanted}{self.separator}{n}"
        self.taken.add(name)
        return name


def _assign(candidates: list[tuple[tuple[object, ...], str, str]], unique: _Unique) -> dict:
    """Give each key its wanted name, or the first free numbered one, in ``candidates`` order."""
    return {key: unique(wanted) for _, key, wanted in sorted(candidates)}


def _names(spec: UnifiedSpec) -> _Names:
    def rank(qualified: str) -> tuple[int, str]:
        return (0 if _namespace(qualified) == "" else 1, qualified)

    unique = _Unique()
    types = _assign([(rank(t.name), t.name, model_class_name(t.name)) for t in spec.types], unique)
    enums = _assign([(rank(e.name), e.name, model_class_name(e.name)) for e in spec.enums], unique)
    requests = _assign(
        [((op.id,), op.id, request_class_name(op.id)) for op in spec.operations], unique
    )
    namespaces = sorted(
        {_namespace(t.name) for t in spec.types} | {_namespace(e.name) for e in spec.enums}
    )
    modules = _assign(
        [((ns,), ns, _module_base(ns)) for ns in namespaces], _Unique(_RESERVED_MODULES, "_")
    )
    return _Names(types, enums, requests, modules)


def _names_key(names: _Names) -> str:
    """Every name given, as one string: a class is made again when any of them changed."""
    return "\0".join(
        f"{kind}:{key}={name}"
        for kind, given in (
            ("t", names.types),
            ("e", names.enums),
            ("r", names.requests),
            ("m", names.modules),
        )
        for key, name in given.items()
    )
