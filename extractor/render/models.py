"""Generate pydantic v2 models of the unified spec: one package per API version.

``render_models(spec)`` returns ``{"models/__init__.py": ..., "models/v1_0/__init__.py": ...}``;
``render_models_and_plans`` also each package's ``PackagePlan`` (its classes, fields and
enums as the files define them), from which ``modelcheck`` validates without importing them.
Each version package holds only what exists in that version:

- ``_base.py``: ``GraphModel`` (extra fields allowed, because the docs truncate their examples)
  and ``Nested[X]``, a field annotation that validates a nested object with ``X``'s own
  validator, picked by ``@odata.type`` when it names a more derived type. Pydantic otherwise
  inlines every reachable model into each model's validator: with thousands of interlinked Graph
  types that overflows the stack, and even when it does not, imports take minutes.
- one module per namespace (``graph.py`` for ``microsoft.graph``, ``call_records.py`` for
  ``microsoft.graph.callRecords``) with its enums and model classes, bases before subclasses;
- ``operations.py``: ``<OperationId>Request`` body models of actions, functions, creates and
  updates that list parameters (``call.redirect`` → ``CallRedirectRequest``);
- ``__init__.py``: every class, ``TYPE_INDEX``, ``ENUM_INDEX``, ``OPERATION_REQUEST_INDEX``
  (``operations`` is imported when first asked for) and ``rebuild_all()``.

Import time: the beta package of the real corpus has ~2,400 types and ~1,500 request models.
Building every validator at import (``model_rebuild()`` of every class) took 3.3 s of CPU for
2,300 types, so ``GraphModel`` sets ``defer_build``: a model builds its validator when first
used (pydantic resolves forward references then), and only the few classes that name classes
of a module imported after their own are rebuilt by ``__init__`` with the package namespace.
``rebuild_all()`` builds everything, in a fixed order, for who wants it eagerly.

Naming (documented here because users import these names):

- ``model_class_name``: drop the ``microsoft.graph.`` prefix and join the remaining segments in
  PascalCase: ``microsoft.graph.call`` → ``Call``, ``microsoft.graph.callRecords.session`` →
  ``CallRecordsSession``. Two names that map to one class name are told apart by a number,
  assigned in a fixed order (root namespace first, then by qualified name): ``Session2``.
- fields are snake_case with the wire name as alias (``callbackUri`` → ``callback_uri``);
  keywords, builtins used in annotations and ``BaseModel`` attributes get a trailing ``_``,
  names starting with a digit a leading ``n``.
- enums are ``StrEnum``s (ruff's UP042 rejects ``(str, Enum)``) with UPPER_SNAKE members; fields
  of an enum type accept any string too (``CallState | str | None``) because the docs' examples
  use values outside the documented lists.
- ``Edm.DateTimeOffset``, ``Guid``, ``Duration``, ``Binary`` and other textual primitives are
  ``str`` (the docs show placeholders such as ``"String (timestamp)"``), with the Edm type
  noted in the field's description.

The code is laid out by the Jinja templates in ``templates/models/`` and then formatted with ruff
(settings mirror the project's pyproject, passed explicitly so that a checkout and an installed
wheel format alike), so it reads as hand-written and passes the project's ``ruff check``.
"""

from __future__ import annotations

import heapq
import itertools
import keyword
import re
import shutil
import subprocess
import tempfile
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from json.encoder import encode_basestring
from pathlib import Path

from extractor.gcpause import gc_paused
from extractor.render.templating import environment
from extractor.reuse import PieceMemo, RenderPieces
from extractor.schema import VERSIONS, SpecOperation, SpecParameter, SpecTypeDef, UnifiedSpec

__all__ = [
    "ClassPlan",
    "PackagePlan",
    "field_name",
    "is_primitive",
    "model_class_name",
    "module_for",
    "render_models",
    "render_models_and_plans",
    "request_class_name",
]

ROOT_NAMESPACE = "microsoft.graph"
REQUEST_KINDS = frozenset({"action", "function", "create", "update"})

#: Settings given to ruff explicitly: the project's pyproject is absent in an installed wheel.
RUFF_SETTINGS: tuple[str, ...] = ("--isolated", "--line-length", "100", "--target-version", "py311")
RUFF_FIX_RULES = "I,F401,RUF022,UP"

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
    # Textual on the wire, and the docs' examples show placeholders and odd formats.
    "edm.datetimeoffset": "str",
    "edm.date": "str",
    "edm.timeofday": "str",
    "edm.duration": "str",
    "edm.guid": "str",
    "edm.binary": "str",
    "edm.stream": "str",
    "edm.json": "Any",
    "edm.untyped": "Any",
}
_EDM_NOTED = frozenset(
    {
        "edm.datetimeoffset",
        "edm.date",
        "edm.timeofday",
        "edm.duration",
        "edm.guid",
        "edm.binary",
        "edm.stream",
        "edm.json",
        "edm.untyped",
    }
)
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
        "ConfigDict",
        "ENUM_INDEX",
        "False",
        "Field",
        "GraphModel",
        "Nested",
        "None",
        "OPERATION_REQUEST_INDEX",
        "StrEnum",
        "TYPE_CHECKING",
        "TYPE_INDEX",
        "True",
    }
)
_RESERVED_MODULES = frozenset({"operations"})

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_WORD = re.compile(r"([A-Z])(?=[A-Z][a-z])")
_UNDERSCORES = re.compile(r"_+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\x85]")
_TOKEN = re.compile(r"\S+\s*|\s+")
_DIGITS = re.compile(r"(\d+)")

LINE_LENGTH = 100
#: Longer attribute names come from broken tables; the alias keeps the whole wire name.
MAX_NAME = 80
MAX_DEPTH = 50
DOC_WIDTH = 88
STRING_WIDTH = 72


# --- names ------------------------------------------------------------------------------------


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


def is_primitive(type_name: str | None) -> bool:
    """Whether a type name is an OData primitive, written ``Edm.String`` or just ``String``."""
    lowered = (type_name or "").strip().lower()
    return lowered.startswith("edm.") or "edm." + lowered in _EDM_PYTHON


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


# --- text -------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _clean(text: str | None) -> str:
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    return " ".join(_CONTROL.sub(" ", text).split())  # str.split's whitespace is re's \s


def _docstring(paragraphs: Iterable[str], indent: str = "    ") -> str:
    """A triple-quoted docstring, wrapped, with backslashes and quotes escaped."""
    lines: list[str] = []
    for paragraph in paragraphs:
        wrapped = _doc_lines(paragraph)
        if not wrapped:
            continue
        if lines:
            lines.append("")
        lines.extend(wrapped)
    if not lines:
        lines = ["Undocumented."]
    if lines[-1].endswith('"'):
        lines[-1] = lines[-1][:-1] + '\\"'
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join(indent + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


@lru_cache(maxsize=1 << 16)
def _doc_lines(paragraph: str | None) -> tuple[str, ...]:
    """One docstring paragraph, escaped and wrapped: most recur in both versions' packages."""
    text = _clean(paragraph)
    if not text:
        return ()
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return tuple(line.rstrip() for line in _pieces(text, DOC_WIDTH, cut_words=False))


def _literal(text: str) -> str:
    """A double-quoted Python string literal (JSON's escapes are all valid Python escapes);
    ``json.dumps(text, ensure_ascii=False)`` without building an encoder each time."""
    return encode_basestring(text)


@cache
def _char_width(char: str) -> int:
    """Columns of one character, remembered: the docs use a few thousand distinct ones."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _width(text: str) -> int:
    """Columns ``text`` takes as ruff counts them: East Asian wide characters count twice."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _pieces(text: str, width: int, *, cut_words: bool = True) -> list[str]:
    """Cut ``text`` into pieces of at most ``width`` columns that concatenate back to it.

    Cuts fall after whitespace. A longer word is cut inside when ``cut_words`` (string
    literals: the pieces still concatenate to the same text), else it gets a piece of its own
    (docstrings: ruff accepts a long line of a single word).
    """
    pieces: list[str] = []
    current, used = "", 0
    for token in _TOKEN.findall(text):
        size = _width(token)
        if size > width and (cut_words or not token.isascii()):
            if current:
                pieces.append(current)
            # Each piece is the longest run of characters that fits (at least one), found by
            # bisecting the running widths: Chinese text is one long "word" per sentence.
            ends = list(itertools.accumulate(map(_char_width, token)))
            start, before = 0, 0
            while True:
                stop = max(bisect_right(ends, before + width, start), start + 1)
                if stop >= len(token):
                    break
                pieces.append(token[start:stop])
                start, before = stop, ends[stop - 1]
            current, used = token[start:], ends[-1] - before
            continue
        if used + size > width and current:
            pieces.append(current)
            current, used = "", 0
        current += token
        used += size
    if current or not pieces:
        pieces.append(current)
    return pieces


@lru_cache(maxsize=1 << 16)
def _string_expr(text: str) -> str:
    """A literal, or parenthesized implicit concatenation of pieces when it is long."""
    if len(text) <= STRING_WIDTH:
        return _literal(text)
    return "(\n" + "\n".join(_literal(piece) for piece in _pieces(text, STRING_WIDTH)) + "\n)"


# --- per-version views ------------------------------------------------------------------------


@dataclass
class FieldView:
    name: str
    annotation: str
    default: str
    alias: str | None = None


@dataclass
class ClassView:
    name: str
    base: str
    docstring: str
    graph_type: str | None
    fields: list[FieldView]
    module: str = ""
    needs: set[str] = field(default_factory=set)
    operation: str | None = None
    qualified: str | None = None


@dataclass
class MemberView:
    name: str
    value: str
    docstring: str | None
    raw_value: str = ""


@dataclass
class EnumView:
    name: str
    docstring: str
    members: list[MemberView]


@dataclass
class ModuleView:
    name: str
    docstring: str
    imports: list[str]
    typing_imports: list[str]
    enums: list[EnumView]
    classes: list[ClassView]
    index_name: str = ""
    index: list[str] | None = None


@dataclass(frozen=True)
class ClassPlan:
    """One generated class as validation sees it: ``base`` is None for ``GraphModel``, and
    ``fields`` are its own (not inherited) fields as (name, alias, annotation)."""

    name: str
    base: str | None
    graph_type: str | None
    fields: tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True)
class PackagePlan:
    """What one version package defines, in the order it defines it: enough to validate with
    the very validators the package would build, without writing and importing it."""

    classes: tuple[ClassPlan, ...]
    enums: dict[str, tuple[tuple[str, str], ...]]  # class name: (member name, value) pairs
    type_index: dict[str, str]  # qualified type name: class name
    request_index: dict[str, str]  # operation id: class name


def _class_plan(cls: ClassView) -> ClassPlan:
    return ClassPlan(
        name=cls.name,
        base=None if cls.base == "GraphModel" else cls.base,
        graph_type=cls.qualified,
        fields=tuple((f.name, f.alias, f.annotation) for f in cls.fields),
    )


@dataclass
class _Version:
    """What exists in one version, with resolved class names."""

    version: str
    names: _Names
    types: dict[str, SpecTypeDef]
    enum_names: dict[str, str]
    bases: dict[str, str | None]
    all_versions: list[str]

    def class_of(self, qualified: str) -> str | None:
        return self.names.types.get(qualified) if qualified in self.types else None


def _present(versions: list[str], version: str, inherited: Iterable[str]) -> bool:
    """Whether an item exists in ``version``; an empty list means every version of its parent."""
    return version in (versions or list(inherited))


def _resolve_bases(types: dict[str, SpecTypeDef]) -> dict[str, str | None]:
    """Each type's base within the version; unknown bases and cycle-closing edges become None."""
    bases: dict[str, str | None] = {}
    state: dict[str, int] = {}
    for start in sorted(types):
        path: list[str] = []
        current: str | None = start
        while current is not None and state.get(current, 0) == 0:
            state[current] = 1
            path.append(current)
            base = types[current].base_type
            nxt = base if base in types and base != current else None
            if nxt is not None and state.get(nxt) == 1:
                nxt = None
            bases[current] = nxt
            current = nxt
        for name in path:
            state[name] = 2
    return bases


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
        return f"{enum_name} | str", None
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
    if param.collection:
        annotation = f"list[{inner}] | None"
    else:
        annotation = "Any" if inner == "Any" else f"{inner} | None"
    alias = param.name if name != param.name else None
    default = _field_default(alias, param.description, param.deprecated, tuple(notes))
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


def _enum_view(view: _Version, enum, name: str) -> EnumView:
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
    bases = _resolve_bases(types)
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
        made = partial(_enum_view, view, enum, enum_names[enum.name])
        enums_by_module[enum_module[enum.name]].append(
            enum_memo.get(enum.name, (scope, enum), made)
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
        "type_index": _index_entries((q, names.types[q]) for q in types),
        "enum_index": _index_entries((e.name, enum_names[e.name]) for e in enums),
        "request_names": sorted(c.name for c in requests),
        "exports": _exports(modules, order),
    }


def _class_view(
    view: _Version, qualified: str, module: str, inherited_aliases: dict[str, dict[str, str]]
) -> tuple[ClassView, dict[str, str]]:
    """One type's class, and the alias → field name map its subclasses inherit."""
    typedef = view.types[qualified]
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


def _index_entries(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """``"key": Class,`` lines of an index dict, sorted; parenthesized when too long."""
    entries = []
    for key, name in sorted(pairs):
        line = f"{_literal(key)}: {name},"
        if _width(line) + 4 > LINE_LENGTH:
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


def _request_classes(
    spec: UnifiedSpec,
    view: _Version,
    version: str,
    all_versions: list[str],
    scope: str,
    pieces: RenderPieces,
) -> list[ClassView]:
    memo = pieces.memo(f"models/{version}/requests")
    classes: list[ClassView] = []
    for op in spec.operations:
        if op.kind not in REQUEST_KINDS or not _present(op.versions, version, all_versions):
            continue
        made = partial(_request_class, view, op, version, all_versions)
        cls = memo.get(op.id, (scope, op), made)
        if cls is not None:
            classes.append(cls)
    classes.sort(key=lambda c: c.name)
    return classes


def _request_class(
    view: _Version, op: SpecOperation, version: str, all_versions: list[str]
) -> ClassView | None:
    """The request-body model of one operation; None when it lists no parameter here."""
    op_versions = op.versions or all_versions
    params = [p for p in op.parameters if _present(p.versions, version, op_versions)]
    if not params:
        return None
    needs: set[str] = set()
    fields, _ = _fields(view, params, op_versions, {"@odata.type": "odata_type"}, needs)
    present = [p for p in op.paths if _present(p.versions, version, op_versions)]
    paths = [p.path for p in sorted(present, key=lambda p: p.deprecated)]  # live ones first
    where = f"`{op.method} {paths[0]}`" if op.method and paths else f"`{op.id}`"
    title = _clean(op.title)
    paragraphs = [
        op.description or title,
        f"Request body of `{op.id}` ({op.kind}): {where}.",
    ]
    return ClassView(
        name=view.names.requests[op.id],
        base="GraphModel",
        docstring=_docstring(paragraphs),
        graph_type=None,
        fields=fields,
        module="operations",
        needs=needs,
        operation=op.id,
    )


def _all_versions(spec: UnifiedSpec) -> list[str]:
    found = set(VERSIONS)
    for items in (spec.types, spec.enums, spec.operations):
        for item in items:
            found.update(item.versions)
    return sorted(found)


# --- formatting -------------------------------------------------------------------------------


@cache
def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


def format_python(files: dict[str, str]) -> dict[str, str]:
    """Sort imports, apply safe fixes and format with ruff; a file ruff fails on stays as is,
    and every file does when ruff is missing.

    All files go to one ``ruff check --fix`` and one ``ruff format``, in a temporary directory
    that is also ruff's working directory (so no folder where the user runs the build can
    change how ruff sorts imports): ruff's start-up would cost more than most files' work,
    and it formats files in parallel.
    """
    binary = _ruff_binary()
    if binary is None or not files:
        return files
    try:
        with tempfile.TemporaryDirectory(prefix="extractor-ruff-") as directory:
            paths = {name: Path(directory, name) for name in files}
            for name, path in paths.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[name].encode("utf-8"))
            for arguments in (
                ("check", "--fix", "--exit-zero", "--quiet", "--select", RUFF_FIX_RULES),
                ("format", "--quiet"),
            ):
                command = [
                    binary,
                    *arguments,
                    *RUFF_SETTINGS,
                    "--no-cache",
                    *files,
                ]
                try:
                    subprocess.run(
                        command, capture_output=True, timeout=300, check=False, cwd=directory
                    )
                except subprocess.SubprocessError:  # killed: a file may be half-written
                    return files
                # ruff rewrites a file whole or not at all, whatever its exit status says.
                files = {name: path.read_bytes().decode("utf-8") for name, path in paths.items()}
    except OSError:  # ruff or the temporary directory unusable: what the last step gave
        return files
    return files


# --- rendering --------------------------------------------------------------------------------


def render_models(spec: UnifiedSpec) -> dict[str, str]:
    """``{"models/__init__.py": ..., "models/v1_0/__init__.py": ..., ...}`` for every version."""
    return render_models_and_plans(spec)[0]


@gc_paused()
def render_models_and_plans(
    spec: UnifiedSpec, pieces: RenderPieces | None = None
) -> tuple[dict[str, str], dict[str, PackagePlan]]:
    """The model files, and each version package's plan (by package name, ``v1_0``) for
    ``modelcheck``, which validates with the same validators without importing the files.

    Each module is rendered as its header (docstring and imports) and one piece per enum,
    class and index; with ``pieces``, the pieces of the last build's parts are reused, and
    ruff formats only the pieces whose text changed (``_format_pieces``).
    """
    pieces = pieces or RenderPieces()
    env = environment()
    macros = env.get_template("models/_macros.j2").module
    module_template = env.get_template("models/module.py.j2")
    plans: dict[str, PackagePlan] = {}
    names = _names(spec)
    files: dict[str, list[str]] = {}
    packages: list[tuple[str, str]] = []
    seen_packages: set[str] = set()
    all_versions = _all_versions(spec)
    texts = pieces.memo("models/texts")
    for version in all_versions:
        package = module_for(version)
        if package in seen_packages:
            continue
        seen_packages.add(package)
        packages.append((version, package))
        context = _version_modules(spec, names, version, all_versions, pieces)
        plans[package] = context.pop("plan")  # type: ignore[assignment]
        root = f"models/{package}"
        files[f"{root}/_base.py"] = [env.get_template("models/base.py.j2").render(version=version)]
        modules: list[ModuleView] = list(context["modules"])  # type: ignore[call-overload]
        if context["operations"] is not None:
            modules.append(context["operations"])  # type: ignore[arg-type]
        for module in modules:
            parts: list[str] = [module_template.render(module=module, pieces=[])]
            for enum in module.enums:
                made = partial(macros.enum_class, enum)
                parts.append(texts.get((package, enum.name), (enum,), made))
            for cls in module.classes:
                made = partial(macros.model_class, cls)
                parts.append(texts.get((package, cls.name), (cls,), made))
            if module.index is not None:
                parts.append(macros.request_index(module))
            files[f"{root}/{module.name}.py"] = parts
        files[f"{root}/__init__.py"] = [
            env.get_template("models/version_init.py.j2").render(**context)
        ]
    files["models/__init__.py"] = [
        env.get_template("models/package_init.py.j2").render(packages=packages)
    ]
    return _format_pieces(files, pieces.memo("models/formatted")), plans


#: Where a top-level block of a formatted module starts: an enum or class, or an index.
_BLOCK_START = re.compile(r"^(?:class |[A-Z_][A-Z0-9_]*: )", re.MULTILINE)


def _blocks(text: str) -> list[str] | None:
    """A formatted module cut into its header and top-level blocks, without the blank lines
    between them; None unless joining them back (``_joined``) gives the very text."""
    starts = [match.start() for match in _BLOCK_START.finditer(text)]
    ends = [*starts, len(text)]
    blocks = [text[start:end].rstrip("\n") for start, end in zip([0, *starts], ends, strict=True)]
    return blocks if _joined(blocks) == text else None


def _joined(blocks: list[str]) -> str:
    return "\n\n\n".join(blocks) + "\n"


def _raw(parts: list[str]) -> str:
    """A file's text before formatting: its header, then each piece two blank lines apart."""
    return parts[0] + "".join(f"\n\n{part}" for part in parts[1:])


def _format_pieces(files: dict[str, list[str]], memo: PieceMemo) -> dict[str, str]:
    """Each file (its header, then its pieces) formatted with ``format_python``.

    A file whose parts are those of the last build keeps its formatted text. ruff formats each
    top-level block of a module on its own (two blank lines around it), so a module whose
    header and length are unchanged keeps the formatted blocks of its unchanged pieces; the
    changed ones are formatted under the module's header, in a file of their own, and put in
    their place. What does not cut back into the same blocks is formatted whole.
    """
    result: dict[str, str] = {}
    whole: dict[str, str] = {}
    splices: dict[str, tuple[list[str], list[int]]] = {}
    for path, parts in files.items():
        previous = memo.find(path, ())
        if previous is not None:
            old_parts, old_blocks, old_text = previous
            if old_parts == parts:
                result[path] = old_text
                memo.keep(path, (), previous)
                continue
            if old_blocks is not None and len(old_parts) == len(parts) and old_parts[0] == parts[0]:
                changed = [i for i in range(1, len(parts)) if parts[i] != old_parts[i]]
                splices[path] = (list(old_blocks), changed)
                continue
        whole[path] = _raw(parts)
    snippets = {f"snippets/{n}/{path}": path for n, path in enumerate(splices)}
    done = format_python(
        {
            **whole,
            **{
                name: _raw([files[path][0], *(files[path][i] for i in splices[path][1])])
                for name, path in snippets.items()
            },
        }
    )
    for name, path in snippets.items():
        blocks, changed = splices[path]
        formatted = _blocks(done[name])
        if formatted is None or len(formatted) != len(changed) + 1:
            whole[path] = _raw(files[path])  # formatted whole below
            continue
        for i, block in zip(changed, formatted[1:], strict=True):
            blocks[i] = block
        result[path] = _joined(blocks)
        memo.keep(path, (), (files[path], blocks, result[path]))
    unformatted = {path: text for path, text in whole.items() if path not in done}
    if unformatted:
        done.update(format_python(unformatted))
    for path in whole:
        text = result[path] = done[path]
        blocks = _blocks(text) if len(files[path]) > 1 else None
        if blocks is not None and len(blocks) != len(files[path]):
            blocks = None
        memo.keep(path, (), (files[path], blocks, text))
    return dict(sorted(result.items()))
