"""Wire types of the generated models: OData's textual primitives as Python values that keep
the text they were read from, the documentation's known placeholders, and a case-insensitive
index.

This module is copied as it is into every generated version package (``_wire.py``), so it
imports nothing but the standard library and pydantic; ``models.check`` and the fixtures'
strict check use it from here, so all three agree on what a date-time or a GUID is.

A value read from JSON keeps its text (``wire``) and dumps back to it, so that a fixture that
loads into its model dumps back to equal JSON (``2021-01-01T00:00:00.0000000Z`` has seven
fractional digits, which ``datetime`` cannot hold). The documentation's examples often hold a
placeholder where a value belongs (``"datetime-value"``, ``"String (timestamp)"``); those load
as ``Placeholder``, and the strict check reports them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

__all__ = [
    "CaseInsensitiveIndex",
    "Date",
    "DateTimeOffset",
    "Duration",
    "Guid",
    "Open",
    "Placeholder",
    "TimeOfDay",
    "is_placeholder",
    "wire_problem",
]

V = TypeVar("V")
E = TypeVar("E")

#: The placeholders the docs write where a value belongs: ``"datetime-value"``, ``"Url value"``,
#: ``"{user-id}"``, ``"<guid>"``, an Edm type name (``"String"``, ``"String (timestamp)"``).
_PLACEHOLDER = re.compile(
    r"""(?ix)
    [A-Za-z][\w.]*(?:\ [A-Za-z][\w.]*)*[-\ .]value(?:-?\d+)?
    | \{[^{}]*\} | <[^<>]*> | \[[^\[\]]*\]
    | (?:edm\.)?(?:string|datetime(?:offset)?|date|time(?:stamp|ofday)?|guid|uuid|duration
                 |int(?:16|32|64)?|integer|boolean|bool|double|decimal|binary|number|url|uri)
      (?:\s*\([^()]*\))?
    | \.\.\.
    """
)
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?")
_DURATION = re.compile(
    r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.IGNORECASE
)
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is one of the docs' known placeholder forms rather than a value."""
    return _PLACEHOLDER.fullmatch(text.strip()) is not None


def _fraction(digits: str | None) -> int:
    return int((digits or "0")[:6].ljust(6, "0"))


def _parse_date_time(text: str) -> datetime:
    found = _DATE_TIME.fullmatch(text)
    if found is None:
        raise ValueError("not an ISO 8601 date-time (yyyy-mm-ddThh:mm[:ss[.fff]][Z|±hh:mm])")
    day, hour, minute, second, fraction, offset = found.groups()
    zone = None
    if offset:
        if offset.upper() == "Z":
            zone = UTC
        else:
            sign = -1 if offset[0] == "-" else 1
            zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    parsed = date.fromisoformat(day)
    return datetime(
        parsed.year,
        parsed.month,
        parsed.day,
        int(hour),
        int(minute),
        int(second or 0),
        _fraction(fraction),
        tzinfo=zone,
    )


def _parse_duration(text: str) -> timedelta:
    found = _DURATION.fullmatch(text)
    if found is None or not any(found.groups()[1:]) or text.upper().endswith("T"):
        raise ValueError("not an OData duration (-PnDTnHnMn.nS)")
    sign, days, hours, minutes, seconds = found.groups()
    value = timedelta(
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=float(seconds or 0),
    )
    return -value if sign else value


def _parse_time(text: str) -> time:
    found = _TIME.fullmatch(text)
    if found is None:
        raise ValueError("not a time of day (hh:mm[:ss[.fffffff]])")
    hour, minute, second, fraction = found.groups()
    return time(int(hour), int(minute), int(second or 0), _fraction(fraction))


def _parse_guid(text: str) -> uuid.UUID:
    if _GUID.fullmatch(text) is None:
        raise ValueError("not a GUID (8-4-4-4-12 hexadecimal digits)")
    return uuid.UUID(text)


def wire_problem(edm: str, text: str) -> str | None:
    """Why ``text`` is not a value of the Edm primitive ``edm`` (``Edm.DateTimeOffset``, ...),
    by OData's grammar; None when it is one, or when ``edm`` is not a checked primitive."""
    kind = edm.lower().removeprefix("edm.")
    if kind == "datetimeoffset":
        try:
            _parse_date_time(text)
        except ValueError as error:
            return str(error)
        if not re.search(r"(?:Z|[+-]\d{2}:\d{2})$", text, re.IGNORECASE):
            return "a date-time without a UTC offset (Z or ±hh:mm)"
        return None
    parser = _PARSERS.get(kind)
    if parser is None:
        return None
    try:
        parser(text)
    except ValueError as error:
        return str(error)
    return None


class _Wire:
    """What the wire types share: validation from text (kept in ``wire``) or from a Python
    value, serialization back to that text, and a JSON schema of a formatted string."""

    _format: ClassVar[str]
    wire: str | None = None

    @classmethod
    def _from_text(cls, text: str) -> Any:
        raise NotImplementedError

    @classmethod
    def _from_value(cls, value: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def _validate(cls, value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                made = cls._from_text(value)
            except (ValueError, OverflowError) as error:
                raise PydanticCustomError(
                    "wire_format", "{problem}", {"problem": str(error)}
                ) from None
            object.__setattr__(made, "wire", value)
            return made
        made = cls._from_value(value)
        if made is None:
            raise PydanticCustomError("wire_type", f"expected a {cls._format} string")
        return made

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any = None, handler: GetCoreSchemaHandler | None = None
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(_dump, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": cls._format}


def _dump(value: Any) -> Any:
    """A wire value's text as read, else OData's form of it (placeholders and others as is)."""
    wire = getattr(value, "wire", None)
    if wire is not None:
        return wire
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date | time | uuid.UUID):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    if isinstance(value, timedelta):
        return _duration_text(value)
    return value


def _duration_text(value: timedelta) -> str:
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    seconds = value.seconds + value.microseconds / 1_000_000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}P{value.days}DT{int(hours)}H{int(minutes)}M{seconds:g}S"
    return text


class DateTimeOffset(_Wire, datetime):
    """``Edm.DateTimeOffset``: a ``datetime`` (aware when the text has an offset)."""

    _format = "date-time"

    @classmethod
    def _from_text(cls, text: str) -> DateTimeOffset:
        parsed = _parse_date_time(text)
        return cls.combine(parsed.date(), parsed.timetz())

    @classmethod
    def _from_value(cls, value: Any) -> DateTimeOffset | None:
        if isinstance(value, datetime):
            return cls.combine(value.date(), value.timetz())
        return None


class Date(_Wire, date):
    """``Edm.Date``: a ``date``."""

    _format = "date"

    @classmethod
    def _from_text(cls, text: str) -> Date:
        if _DATE.fullmatch(text) is None:
            raise ValueError("not a date (yyyy-mm-dd)")
        parsed = date.fromisoformat(text)
        return cls(parsed.year, parsed.month, parsed.day)

    @classmethod
    def _from_value(cls, value: Any) -> Date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return cls(value.year, value.month, value.day)
        return None


class TimeOfDay(_Wire, time):
    """``Edm.TimeOfDay``: a ``time``."""

    _format = "time"

    @classmethod
    def _from_text(cls, text: str) -> TimeOfDay:
        parsed = _parse_time(text)
        return cls(parsed.hour, parsed.minute, parsed.second, parsed.microsecond)

    @classmethod
    def _from_value(cls, value: Any) -> TimeOfDay | None:
        if isinstance(value, time):
            return cls(value.hour, value.minute, value.second, value.microsecond, value.tzinfo)
        return None


class Duration(_Wire, timedelta):
    """``Edm.Duration``: a ``timedelta`` (OData's day-time durations: no years or months)."""

    _format = "duration"

    @classmethod
    def _from_text(cls, text: str) -> Duration:
        parsed = _parse_duration(text)
        return cls(days=parsed.days, seconds=parsed.seconds, microseconds=parsed.microseconds)

    @classmethod
    def _from_value(cls, value: Any) -> Duration | None:
        if isinstance(value, timedelta):
            return cls(days=value.days, seconds=value.seconds, microseconds=value.microseconds)
        return None


class Guid(_Wire, uuid.UUID):
    """``Edm.Guid``: a ``uuid.UUID``."""

    _format = "uuid"

    @classmethod
    def _from_text(cls, text: str) -> Guid:
        return cls(str(_parse_guid(text)))

    @classmethod
    def _from_value(cls, value: Any) -> Guid | None:
        if isinstance(value, uuid.UUID):
            return cls(str(value))
        return None


_PARSERS = {
    "date": lambda text: Date._from_text(text),
    "timeofday": _parse_time,
    "duration": _parse_duration,
    "guid": _parse_guid,
}


class Placeholder(str):
    """A placeholder the docs write where a value belongs (``"datetime-value"``): accepted
    where a date-time, date, duration, GUID or enum member is expected, kept as written."""

    __slots__ = ()

    @classmethod
    def _validate(cls, value: Any) -> Placeholder:
        if isinstance(value, str) and is_placeholder(value):
            return cls(value)
        raise PydanticCustomError("placeholder", "not a known placeholder form")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any = None, handler: GetCoreSchemaHandler | None = None
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string"}


class CaseInsensitiveIndex(dict[str, V]):
    """A dict keyed by qualified names that also finds a key written in another case (the
    docs' ``@odata.type`` values do not always match the names' case). A name that two keys
    share ignoring case is found only as written."""

    def __init__(self, items: Mapping[str, V] | None = None) -> None:
        super().__init__(items or {})
        counts: dict[str, int] = {}
        for key in self:
            counts[key.lower()] = counts.get(key.lower(), 0) + 1
        self._lowered = {k.lower(): k for k in self if counts[k.lower()] == 1}

    def _key(self, key: str) -> str:
        if dict.__contains__(self, key):
            return key
        stripped = key.strip().lstrip("#")
        if dict.__contains__(self, stripped):
            return stripped
        return self._lowered.get(stripped.lower(), key)

    def __missing__(self, key: str) -> V:
        found = self._key(key) if isinstance(key, str) else key
        if found == key:
            raise KeyError(key)
        return super().__getitem__(found)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._key(key) if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(self._key(key) if isinstance(key, str) else key, default)


class _LeftToRight:
    """Try a union's members in order: an enum member first, any other string after."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if schema["type"] == "union":
            return core_schema.union_schema(schema["choices"], mode="left_to_right")
        return schema


_LEFT_TO_RIGHT = _LeftToRight()

if TYPE_CHECKING:
    #: ``Open[CallState]``: a ``CallState`` member when the text is one, else the text itself
    #: (``str``): Graph adds members to its enums, and the docs use values outside their lists.
    Open = Annotated[E | str, _LEFT_TO_RIGHT]
else:

    class Open:
        """``Open[CallState]`` is ``Annotated[CallState | str, ...]``, made once per enum:
        substituting a generic alias for each of thousands of fields slowed imports."""

        __slots__ = ()

        def __class_getitem__(cls, enum: Any) -> Any:
            return _open(enum)


@cache
def _open(enum: Any) -> Any:
    return Annotated[enum | str, _LEFT_TO_RIGHT]
