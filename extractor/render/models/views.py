"""What the templates render and what validation reads: per-version views of classes,
enums and modules, and the plan of each version package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.render.models.names import _Names
from extractor.schema import SpecTypeDef


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
