"""Validate with the generated models' own validators, without writing and importing them.

Loading the corpus's 8,000 fixtures into the generated packages cost most of the render
stage: creating 4,000 pydantic classes (each evaluating its string annotations) and building
their validators took 4.7 s of CPU, where validating took 0.25 s. Yet the generated classes
are plain: every field optional with a default of None, extra fields kept, names or aliases
accepted, and few annotations (``str``, ``int``, ``float``, ``bool``, ``Any``, enums, the
wire types of ``wire``, ``Open[...]``, ``list[...]``, unions of them and ``Nested[...]``).
So, from the plan ``rendering`` renders the files from, this module builds the pydantic-core
schemas pydantic builds for those classes (the same validators, hence the same verdicts and
messages), for the classes a fixture reaches only. ``tests/render/test_modelcheck.py``
compares its verdicts and reasons with those of the imported packages, on every fixture of
the real corpus.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, ClassVar

from pydantic_core import CoreConfig, CoreSchema, SchemaValidator, core_schema

from extractor.render.models.views import PackagePlan
from extractor.render.models.wire import (
    CaseInsensitiveIndex,
    Date,
    DateTimeOffset,
    Duration,
    Guid,
    Placeholder,
    TimeOfDay,
)

__all__ = ["PlannedPackage"]

_PRIMITIVES: dict[str, CoreSchema] = {
    "Any": core_schema.any_schema(),
    "str": core_schema.str_schema(),
    "int": core_schema.int_schema(),
    "float": core_schema.float_schema(),
    "bool": core_schema.bool_schema(),
    **{
        wire.__name__: wire.__get_pydantic_core_schema__()
        for wire in (Date, DateTimeOffset, Duration, Guid, Placeholder, TimeOfDay)
    },
}
#: Every model's first field, from ``GraphModel``.
_ODATA_TYPE = ("@odata.type", "str | None")


class StandIn:
    """Stands for a generated class: same name and bases, and ``model_validate``."""

    package: ClassVar[PlannedPackage]

    @classmethod
    def model_validate(cls, value: Any) -> Any:
        return cls.package.validator(cls).validate_python(value)


def _split(annotation: str) -> list[str]:
    """The members of a union annotation, ``|`` inside brackets left alone."""
    parts: list[str] = []
    depth = start = 0
    for index, char in enumerate(annotation):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(annotation[start:index].strip())
            start = index + 1
    parts.append(annotation[start:].strip())
    return parts


class PlannedPackage:
    """One version package as its plan describes it, with what ``fixtures`` reads of an
    imported one: ``TYPE_INDEX``, ``OPERATION_REQUEST_INDEX`` and ``model_for``."""

    def __init__(self, name: str, plan: PackagePlan) -> None:
        self.__name__ = name
        self._plan = plan
        root = type("GraphModel", (StandIn,), {"package": self, "__module__": name})
        self._classes: dict[str, type[StandIn]] = {}
        self._fields: dict[str, dict[str, tuple[str | None, str]]] = {}
        self._registry: dict[str, type[StandIn]] = {}
        self._lowered: dict[str, type[StandIn]] = {}
        for planned in plan.classes:  # in the order the package defines them
            base = self._classes[planned.base] if planned.base else root
            stand_in = type(planned.name, (base,), {"__module__": name})
            self._classes[planned.name] = stand_in
            inherited = self._fields[planned.base] if planned.base else {"odata_type": _ODATA_TYPE}
            fields = dict(inherited)  # a redefined field keeps its place, as in pydantic
            fields.update((field, (alias, kind)) for field, alias, kind in planned.fields)
            self._fields[planned.name] = fields
            if planned.graph_type:
                self._registry[planned.graph_type] = stand_in
                self._lowered.setdefault(planned.graph_type.lower(), stand_in)
        self.TYPE_INDEX = CaseInsensitiveIndex(
            {q: self._classes[n] for q, n in plan.type_index.items()}
        )
        self.OPERATION_REQUEST_INDEX = {o: self._classes[n] for o, n in plan.request_index.items()}
        self._validators: dict[type[StandIn], SchemaValidator] = {}
        self._schemas: dict[str, CoreSchema] = {}

    def model_for(self, declared: type | tuple[type, ...], value: Any) -> type[StandIn]:
        """``_base.model_for`` of the generated package: ``@odata.type`` picks a subclass."""
        choices = declared if isinstance(declared, tuple) else (declared,)
        if isinstance(value, dict):
            odata_type = value.get("@odata.type")
            if isinstance(odata_type, str):
                name = odata_type.strip().lstrip("#")
                found = self._registry.get(name) or self._lowered.get(name.lower())
                if found is not None and issubclass(found, choices):
                    return found
        return choices[0]

    def validator(self, cls: type[StandIn]) -> SchemaValidator:
        """The validator pydantic would build for the generated class ``cls``."""
        found = self._validators.get(cls)
        if found is None:
            fields = {
                field: core_schema.model_field(
                    core_schema.with_default_schema(self._schema(annotation), default=None),
                    validation_alias=alias,
                    serialization_alias=alias,
                )
                for field, (alias, annotation) in self._fields[cls.__name__].items()
            }
            config = CoreConfig(
                title=cls.__name__,
                extra_fields_behavior="allow",
                validate_by_alias=True,
                validate_by_name=True,
                serialize_by_alias=True,
            )
            schema = core_schema.model_schema(
                cls,
                core_schema.model_fields_schema(fields, model_name=cls.__name__),
                custom_init=False,
                root_model=False,
                config=config,
            )
            found = self._validators[cls] = SchemaValidator(schema)
        return found

    def _schema(self, annotation: str) -> CoreSchema:
        found = self._schemas.get(annotation)
        if found is None:
            parts = _split(annotation)
            choices = [self._member(part) for part in parts if part != "None"]
            if not choices:
                raise ValueError(f"an annotation without a type: {annotation!r}")
            schema = choices[0] if len(choices) == 1 else core_schema.union_schema(list(choices))
            found = core_schema.nullable_schema(schema) if "None" in parts else schema
            self._schemas[annotation] = found
        return found

    def _member(self, part: str) -> CoreSchema:
        if part in _PRIMITIVES:
            return _PRIMITIVES[part]
        if part.startswith("list[") and part.endswith("]"):
            return core_schema.list_schema(self._schema(part[5:-1]))
        if part.startswith("Open[") and part.endswith("]"):  # _wire.Open: member, else text
            enum_or_text: list[CoreSchema | tuple[CoreSchema, str]] = [
                self._member(part[5:-1]),
                _PRIMITIVES["str"],
            ]
            return core_schema.union_schema(enum_or_text, mode="left_to_right")
        if part.startswith("Nested[") and part.endswith("]"):
            return self._nested(tuple(self._classes[name] for name in _split(part[7:-1])))
        if part in self._plan.enums:
            enum = _str_enum(part, self._plan.enums[part])
            members = list(enum.__members__.values())
            if not members:  # pydantic checks an enum without members with isinstance
                return core_schema.is_instance_schema(enum)
            return core_schema.enum_schema(enum, members, sub_type="str")
        raise ValueError(f"an annotation the generated models do not use: {part!r}")

    def _nested(self, choices: tuple[type[StandIn], ...]) -> CoreSchema:
        """``Nested[...]``: the nested object's own model, chosen when validating."""

        def validate(value: Any) -> Any:
            if isinstance(value, choices):
                return value
            return self.model_for(choices, value).model_validate(value)

        return core_schema.no_info_plain_validator_function(validate)


@cache  # by name and members: one class per enum, whichever package and build asks
def _str_enum(name: str, members: tuple[tuple[str, str], ...]) -> type[StrEnum]:
    return StrEnum(name, list(members))  # type: ignore[return-value]
