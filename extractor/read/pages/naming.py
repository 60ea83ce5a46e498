"""What an operation is and what it is called, from its method and request paths.

The kind comes from the method and the path's shape (``DELETE`` deletes, ``PATCH`` updates,
a ``GET`` of a key gets and of a collection lists, a ``POST`` that answers ``201`` creates),
never from the title's first word ("Post", "Create link"). The title only says which path
segment names an action or function: ``driveItem: createLink`` (or intune's ``wipe
action``) names ``createLink`` when a request path ends in that segment.

Ids identify the operation, not the page: the words of its first live path, each key named
after its collection's item, then the kind (``users.list``, ``users.user.get``,
``me.messages.list``, ``communications.calls.call.redirect``), as Microsoft's own OpenAPI
names them (``users.user.ListUser``). Nothing in them comes from a page's file name, anchor
or locale, so every copy of a page, in any language, gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from extractor.read.httpblock.templates import singular, split_top, template_path
from extractor.read.typeref import qualify
from extractor.schema import OperationKind, RequestPath, ResponseInfo

_BOUND_TITLE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*[:：]\s*([A-Za-z_]\w*)\s*(?:\(.*\))?\s*$")
_TYPED_TITLE = re.compile(r"^\s*([A-Za-z_]\w*)\s+(action|function)\s*$", re.IGNORECASE)
_KIND_WORDS = frozenset(
    {"create", "add", "post", "get", "read", "list", "update", "patch", "delete", "remove"}
)
#: The method each kind is written with; a kind with another method (an update by ``PUT``)
#: is named by its method, so ``PATCH`` and ``PUT`` of one path get two ids.
_USUAL_METHOD = {
    "create": "post",
    "get": "get",
    "list": "get",
    "update": "patch",
    "delete": "delete",
}
_NAMESPACE_PREFIX = re.compile(r"^microsoft\.graph\.", re.IGNORECASE)


def _segments(path: str) -> list[str]:
    return [s for s in split_top(path.split("?", 1)[0], "/") if s.strip()]


def _is_key(segment: str) -> bool:
    return segment.startswith("{") and segment.rstrip(":").endswith("}")


def _called(segment: str) -> str:
    """A segment's name: ``getX(period='{period}')`` -> ``getX``, casts without namespace
    and spelled as the type (camelCase)."""
    name = segment.split("(", 1)[0].strip().rstrip(":")
    cast = _NAMESPACE_PREFIX.sub("", name)
    if cast != name:  # ``Microsoft.Graph.AgentIdentity`` is the type ``agentIdentity``
        return cast[:1].lower() + cast[1:]
    return name


_BRACED = re.compile(r"\{[^{}]*\}")
_KEY = re.compile(r"\{(.+?)-id(?:-\d+)?\}:?")
_WORD_UNSAFE = re.compile(r"[^A-Za-z0-9_$]+")


def _camel(name: str) -> str:
    """``item-path`` -> ``itemPath``: a placeholder's name as one word."""
    words = [w for w in _WORD_UNSAFE.split(name) if w]
    return "".join([words[0], *(w[:1].upper() + w[1:] for w in words[1:])]) if words else ""


def _arguments(segment: str) -> list[str]:
    """Argument names of a function-call segment: ``f(a='{a}',b={b})`` -> ``[a, b]``."""
    inner = segment.partition("(")[2].rpartition(")")[0]
    names = [part.partition("=")[0].strip() for part in split_top(inner, ",")]
    return [_camel(name.strip("{}<>")) for name in names if name.strip()]


def path_words(path: str) -> list[str]:
    """The words that name a path (as a template: a spec's ``/calls/{id}`` reads as
    ``/calls/{call-id}``): each segment, a key as its collection's item
    (``/users/{user-id}`` -> ``users.user``), another placeholder by its name, a function
    by its name and argument names (``getX(period='{period}')`` -> ``getX-period``), a cast
    without ``microsoft.graph.``."""
    words: list[str] = []
    for segment in _segments(template_path(path.split("?", 1)[0]).path):
        key = _KEY.fullmatch(segment.strip())
        if key:
            words.append(key.group(1))
        elif _is_key(segment):
            words.append(_camel(segment.strip().rstrip(":")[1:-1]))
        elif "(" in segment:
            words.append("-".join([_called(segment), *_arguments(segment)]))
        elif _called(segment):
            words.append(_called(segment))
    return [word for word in words if word]


def slot_id(path: str, kind: OperationKind, method: str | None) -> str:
    """The id of an operation at one path: the path's words, then the kind
    (``users.user.get``, ``me.messages.list``, ``groups.group.members.$ref.create``), or
    its method when the kind has another (``....content.put``); an action's or function's
    last word is its name (``communications.calls.call.redirect``).
    Ids of the spec and operationIds of the OpenAPI documents are both made here."""
    words = path_words(path)
    if not words:
        return ""
    if kind not in ("action", "function"):
        usual = _USUAL_METHOD.get(kind)
        verb = (method or "").lower()
        words.append(kind if usual is not None and verb in ("", usual) else verb or "other")
    return bounded_id(words)


#: The longest id: generators make file and class names of operationIds (openapi-python-client
#: writes ``<operation_id>_body.py``), and a file name has 255 bytes at most.
MAX_ID_LENGTH = 120


def bounded_id(words: list[str]) -> str:
    """The words joined, or, past ``MAX_ID_LENGTH``, the first word, a digest of the whole
    and as many last words as fit: the same path always gives the same id, two paths two."""
    joined = ".".join(words)
    if len(joined) <= MAX_ID_LENGTH:
        return joined
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:8]
    head = f"{words[0]}.{digest}"
    tail: list[str] = []
    for word in reversed(words[1:]):
        if len(head) + sum(len(w) + 1 for w in tail) + len(word) + 1 > MAX_ID_LENGTH:
            break
        tail.insert(0, word)
    return ".".join([head, *tail])


def live_paths(paths: list[RequestPath]) -> list[RequestPath]:
    """The paths that name the operation: not deprecated, no fixed query (else all)."""
    return (
        [p for p in paths if not p.deprecated and not p.query]
        or [p for p in paths if not p.query]
        or list(paths)
    )


def _titled_name(title: str) -> tuple[str | None, str] | None:
    """(binding, name) that a title gives an action or function: ``call: redirect``,
    ``wipe action``; a kind word after the colon (``servicePrincipals: List owners``) is none."""
    bound = _BOUND_TITLE.match(title)
    if bound and bound.group(2).lower() not in _KIND_WORDS:
        owner = bound.group(1)
        return (None if owner.lower() in _KIND_WORDS else owner), bound.group(2)
    typed = _TYPED_TITLE.match(title)
    if typed:
        return None, typed.group(1)
    return None


def _binding_from_path(segments: list[str], index: int) -> str | None:
    """The type an action at ``segments[index]`` is bound to, as the path shows it: the
    collection a key belongs to (``managedDevices/{managedDevice-id}/wipe``), or the
    navigation segment before it (``deviceManagement/verify...``), singular."""
    if index == 0:
        return None
    before = segments[index - 1]
    if _is_key(before):
        if index < 2:
            return None
        before = segments[index - 2]
    if "(" in before or before.startswith(("$", "{")) or before.endswith(":"):
        return None
    return singular(_called(before)) or None


def classify(
    title: str,
    method: str | None,
    paths: list[RequestPath],
    response: ResponseInfo,
    namespace: str,
) -> tuple[OperationKind, str | None, str | None]:
    """(kind, binding type, name) of the operation the page documents."""
    live = live_paths(paths)
    titled = _titled_name(title)
    if titled is not None:
        owner, name = titled
        for request_path in live:
            segments = _segments(request_path.path)
            index = len(segments) - 1
            if index >= 0 and _called(segments[index]).casefold() == name.casefold():
                kind: OperationKind = "function" if method == "GET" else "action"
                binding = owner or _binding_from_path(segments, index)
                spelled = _called(segments[index])
                return kind, (qualify(binding, namespace) if binding else None), spelled
    segments = _segments(live[0].path) if live else []
    last = segments[-1] if segments else ""
    if method == "DELETE":
        return "delete", None, None
    if method in ("PATCH", "PUT"):
        return "update", None, None
    if method == "GET":
        if "(" in last and not _is_key(last) and not last.startswith("{"):
            name = _called(last)
            binding = _binding_from_path(segments, len(segments) - 1)
            return "function", (qualify(binding, namespace) if binding else None), name
        if response.collection and not _is_key(last):
            return "list", None, None
        return "get", None, None
    if method == "POST":
        if last == "$ref" or _creates(last, response):
            return "create", None, None
        if last and not _is_key(last) and not last.startswith("$"):
            binding = _binding_from_path(segments, len(segments) - 1)
            return "action", (qualify(binding, namespace) if binding else None), _called(last)
        return "action", None, None
    return "other", None, None


def _creates(last: str, response: ResponseInfo) -> bool:
    """A POST to a collection creates an item of it: the segment is a plural (``events``,
    ``children``) answered with ``201 Created``, or the item it answers is of the type the
    segment names (``POST /users`` answering a ``user``, ``/columns`` a
    ``columnDefinition``), or a plural answered ``202 Accepted`` with no body.
    ``createLink`` answers ``201`` too, but names no collection: an action."""
    if _is_key(last) or "(" in last or last.startswith("$"):
        return False
    name = _called(last)
    plural = singular(name) != name
    if plural and response.status == 201:
        return True
    if plural and response.status == 202 and not response.type:
        return True  # an item made in the background (``POST /teams``: 202 and a Location)
    if not response.type or response.collection:
        return False
    item, short = singular(name).casefold(), response.type.rsplit(".", 1)[-1].casefold()
    return item == short or (plural and len(item) > 3 and item in short)


def _shape(path: str) -> str:
    return _BRACED.sub("{}", template_path(path.split("?", 1)[0]).path).casefold()


def primary_path(paths: list[RequestPath], called: Iterable[str] = ()) -> RequestPath | None:
    """The path that names the operation: of its live paths, the one with the fewest words
    outside keys (``/users/{user-id}`` rather than a path through five other collections to
    the same item); of those, one the page's example requests call (``called``: a page
    whose note deprecating ``/app/calls`` is not in English still calls
    ``/communications/calls``), then the first."""
    live = live_paths(paths)
    if not live:
        return None
    shapes = {_shape(path) for path in called}
    return min(
        live,
        key=lambda p: (
            sum(1 for s in _segments(p.path) if not _is_key(s)),
            _shape(p.path) not in shapes,
        ),
    )


def operation_id(
    kind: OperationKind,
    method: str | None,
    paths: list[RequestPath],
    fallback: str,
    called: Iterable[str] = (),
    binding: str | None = None,
    name: str | None = None,
) -> str:
    """The operation's id: ``<binding>.<name>`` for an action or function bound to a type
    (``call.redirect``, as the interface promises and the service's metadata names it),
    else the ``slot_id`` of its primary path (``fallback``, the title's slug, for a page
    without a path)."""
    if kind in ("action", "function") and binding and name:
        return f"{binding.removeprefix('microsoft.graph.')}.{name}"
    primary = primary_path(paths, called)
    return (slot_id(primary.path, kind, method) if primary else "") or fallback
