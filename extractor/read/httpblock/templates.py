"""Request paths as templates: one parameter name per collection segment, sample values
turned back into parameters, and query strings split into their items.

Pages write the key of a collection as ``{id}``, ``{user-id}``, ``{Id}``, ``{usersId}`` or
``{id | userPrincipalName}``, and sometimes paste a real id (``/classes/acdefc6b-...``) or a
sample argument (``(period='D7')``). Code generators build one request builder per path
segment, so a segment's parameter must have one name wherever the segment appears: the key
after ``users`` is ``{user-id}`` on every path of every page, because the name is made from
the segment alone. Every function here is pure and linear in its input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: OData system query options, by their name without ``$`` in lower case.
ODATA_OPTIONS: dict[str, str] = {
    name.lower(): f"${name}"
    for name in (
        "select",
        "expand",
        "filter",
        "orderby",
        "top",
        "skip",
        "count",
        "search",
        "format",
        "skiptoken",
        "deltatoken",
        "apply",
        "levels",
        "id",
    )
}
#: Options pages also write without ``$`` (``?expand=fields``); other names without ``$``
#: are the API's own parameters (``?format=pdf`` on driveItem content is no ``$format``).
_BARE_OPTIONS = frozenset({"select", "expand", "filter", "orderby", "top", "skip"})

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}")
_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$-]*")
_PARAM_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|<[^<>]*>")
_VALUE_WORD = re.compile(r"[A-Za-z_][\w]*-value|n", re.IGNORECASE)
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "series": "series",
    "news": "news",
    "timesoff": "timeOff",
}


@dataclass(frozen=True)
class Argument:
    """A function parameter given in the URL: ``(period='{period_value}')``."""

    name: str
    sample: str | None  # the literal the page wrote, when it wrote one
    quoted: bool


@dataclass
class Template:
    """A request path as a template, with what it took to make it."""

    path: str
    samples: list[str] = field(default_factory=list)  # literal values made parameters
    arguments: list[Argument] = field(default_factory=list)


def singular(word: str) -> str:
    """``users`` -> ``user``, ``policies`` -> ``policy``, ``classes`` -> ``class``; a word
    that is no plural stays as it is (``calendarView``)."""
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return word[: len(word) - len(lowered)] + _IRREGULAR[lowered]
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("uses", "us"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
    ):
        if lowered.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


def is_sample_value(segment: str) -> bool:
    """A literal id where a key belongs: a GUID, a long hex or base64 run, an address."""
    s = segment.strip().strip("'\"")
    if not s or s.startswith("$"):
        return False
    if _GUID.search(s) or _HEX.fullmatch(s):
        return True
    if "@" in s or "!" in s or s.endswith("="):
        return True
    if _DOMAIN.fullmatch(s) and not s.lower().startswith(("microsoft.", "graph.")):
        return True  # ``domains/contoso.com``; a cast (``microsoft.graph.x``) is no sample
    return s.isdigit()


def split_top(text: str, separators: str) -> list[str]:
    """``text`` split on ``separators`` outside parentheses, braces and quotes."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for index, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch == "'":
            quote = ch
        elif ch in "({[<":
            depth += 1
        elif ch in ")}]>":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _clean_name(name: str) -> str:
    return _PARAM_UNSAFE.sub("-", name.strip()).strip("-") or "param"


def _placeholder(segment: str) -> str | None:
    """The name inside a segment that is one placeholder (``{id}``, ``<id>``, ``(team-id)``,
    ``'{id}'``), else None."""
    s = segment.strip().strip("'")
    if len(s) > 1 and s[0] + s[-1] in ("{}", "<>", "()") and not _PLACEHOLDER.search(s[1:-1]):
        return s[1:-1]
    return None


def _is_collection(segment: str | None) -> bool:
    """A plain navigation name whose next segment can be a key."""
    return (
        bool(segment)
        and _NAME.fullmatch(segment or "") is not None
        and not (segment or "").startswith("$")
    )


def _key_name(collection: str) -> str:
    last = collection.rsplit(".", 1)[-1]
    return f"{singular(last)}-id"


def _arguments(inner: str, template: Template) -> str:
    """Function-call arguments with every value a parameter named after its argument."""
    written = []
    for part in split_top(inner, ","):
        name, equals, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not equals:
            held = _placeholder(name)
            written.append("{" + _clean_name(held) + "}" if held is not None else name)
            continue
        quoted = value.startswith("'")
        bare = value.strip("'")
        param = _clean_name(name)
        sample: str | None = None
        if _placeholder(bare) is not None or _VALUE_WORD.fullmatch(bare):
            text = "{" + param + "}"
        elif _PLACEHOLDER.search(value):  # ``microsoft.graph.timeZoneStandard'{format}'``
            written.append(f"{name}={_PLACEHOLDER.sub('{' + param + '}', value, count=1)}")
            template.arguments.append(Argument(param, None, quoted))
            continue
        else:
            sample, text = bare, "{" + param + "}"
            template.samples.append(f"{name}={value}")
        written.append(f"{name}='{text}'" if quoted else f"{name}={text}")
        template.arguments.append(Argument(param, sample, quoted))
    return ",".join(written)


def _closed(path: str) -> str:
    """A path whose function call misses its ``)`` (``range(address='A1'/entireRow``) with
    the parenthesis closed before the next segment."""
    if path.count("(") <= path.count(")"):
        return path
    out: list[str] = []
    depth, quote = 0, ""
    for ch in path:
        if quote:
            quote = "" if ch == quote else quote
        elif ch == "'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "/" and depth:
            out.append(")" * depth)
            depth = 0
        out.append(ch)
    return "".join(out) + ")" * depth


def template_path(path: str) -> Template:
    """``/users/{id | userPrincipalName}/messages/{id}`` -> ``/users/{user-id}/messages/
    {message-id}``; ``/classes/acdefc6b-...`` -> ``/classes/{class-id}`` (a sample);
    ``getX(period='D7')`` -> ``getX(period='{period}')`` (a sample and an argument).

    The key after a collection segment is named after the segment (singular, ``-id``),
    also when written ``{x-id}:`` for path addressing (``items/{parent-id}:/{name}:``);
    the path after a ``:`` that starts path addressing is ``{path}`` (``root:/{path}:``);
    a name used twice in one path gets ``-2``. The path is expected without host, version
    and query; trailing slashes and blanks go.
    """
    template = Template(path="")
    segments = split_top(_closed(path.strip()), "/")
    out: list[str] = []
    previous: str | None = None
    used: dict[str, int] = {}

    def unique(name: str) -> str:
        count = used.get(name, 0) + 1
        used[name] = count
        return name if count == 1 else f"{name}-{count}"

    for raw in segments:
        segment = raw.strip()
        if not segment:
            out.append("")
            continue
        held = _placeholder(segment)
        colon = segment.endswith(":") and _placeholder(segment[:-1]) is not None
        if colon:
            held = _placeholder(segment[:-1])
        if held is not None and out and out[-1].endswith(":"):  # ``root:/{item-path}:``
            out.append("{" + unique("path") + "}" + (":" if colon else ""))
            previous = None
            continue
        if held is not None and _is_collection(previous) and (not colon or "id" in held.lower()):
            out.append("{" + unique(_key_name(previous or "")) + "}" + (":" if colon else ""))
            previous = None
            continue
        if held is not None:
            out.append("{" + unique(_clean_name(held)) + "}" + (":" if colon else ""))
            previous = None
            continue
        if _is_collection(previous) and is_sample_value(segment):
            template.samples.append(segment)
            out.append("{" + unique(_key_name(previous or "")) + "}")
            previous = None
            continue
        name, paren, rest = segment.partition("(")
        if paren and rest.endswith(")"):
            inner = rest[:-1]
            if _is_collection(previous) and is_sample_value(name):  # ``items/abc(x)``: rare
                template.samples.append(name)
                name = "{" + unique(_key_name(previous or "")) + "}"
            out.append(f"{name.strip()}({_arguments(inner, template)})")
            previous = None
            continue
        out.append("".join(segment.split()))
        previous = segment if _is_collection(segment) else None
    text = "/".join(out)
    while len(text) > 1 and text.endswith("/"):
        text = text[:-1]
    template.path = text if text.startswith("/") else "/" + text
    return template


@dataclass(frozen=True)
class QueryItem:
    """One ``name=value`` of a query string: ``free`` when the value is one placeholder
    (the caller chooses it), else a value the page fixes (``$expand=manager``)."""

    name: str
    value: str
    free: bool


def query_items(query: str | None) -> list[QueryItem]:
    """A request line's query string as items; OData options by their ``$`` names
    (``expand=fields`` -> ``$expand``), ``name:{value}`` read as ``name={value}``."""
    items: list[QueryItem] = []
    for part in split_top(query or "", "&"):
        part = part.strip()
        if not part:
            continue
        name, equals, value = part.partition("=")
        if not equals and ":" in part and _placeholder(part.partition(":")[2].strip()):
            name, _, value = part.partition(":")
        name, value = name.strip(), value.strip()
        if not name or not _NAME.fullmatch(name):
            continue
        canonical = ODATA_OPTIONS.get(name.lstrip("$").lower())
        if canonical is not None and (name.startswith("$") or name.lower() in _BARE_OPTIONS):
            name = canonical
        items.append(QueryItem(name, value, _placeholder(value) is not None))
    return items


__all__ = [
    "ODATA_OPTIONS",
    "Argument",
    "QueryItem",
    "Template",
    "is_sample_value",
    "query_items",
    "singular",
    "split_top",
    "template_path",
]
