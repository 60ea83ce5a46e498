"""What an API page says its operation returns: status, type and whether it is a collection.

Three places say it, trusted in this order: the Response section's prose (``returns a
`200 OK` response code and a collection of [event](../resources/event.md) objects``), the
response example's annotation (``@odata.type``, ``isCollection``, ``Collection(x)``), and
the example's body (``{"value": [...]}``). Each fills in only what the ones before leave
open, and a ``response-differs`` diagnostic says where two of them disagree. Only the
sentence of the success status (and plain sentences after it) can name the type: a link in
an error-conditions sentence (``see [Common Planner error conditions](planner-overview.md)``)
names no response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractor.read.httpblock.templates import singular
from extractor.read.pages.context import PageContext
from extractor.read.typeref import parse_type_cell, qualify
from extractor.schema import Example, ResponseInfo

_RETURNS_CODE = re.compile(
    r"returns?\s+(?:an?\s+|the\s+)?(?:HTTP\s+)?`?\s*([1-3]\d\d)\b", re.IGNORECASE
)
_CODE = re.compile(r"`\s*(\d{3})\b[^`]*`")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z`*>\[(])")
_CONDITION = re.compile(r"^\W*(?:if|when|unless|otherwise)\b(?![^,]*success)", re.IGNORECASE)
_CONDITIONAL = re.compile(
    r"^\W*(?:if\s+(?!successful)|when\b|otherwise\b|unless\b|for more|this method can return)"
    r"|\berrors?\b|\bfails?\b|\bunsuccessful\b|\bnot found\b",
    re.IGNORECASE,
)
_NOTHING = re.compile(
    r"(?:does not|doesn't|won't|will not)\s+return\s+(?:anything|a\s+(?:response\s+)?body|"
    r"any\s+(?:content|body))|\bno\s+(?:response\s+)?body\b|\bempty\s+(?:response\s+)?body\b",
    re.IGNORECASE,
)
# No bracket inside, possessive quantifiers: a run of ``[a](`` without ``)`` stays linear.
_LINK = re.compile(r"\[([^\[\]]++)\]\(([^)\s\[\]]*+)[^)\[\]]*+\)")
_BODY = "the response body"
_VALUE_ARRAY = re.compile(r'^\s*\{\s*(?:"@odata\.[^"]*"\s*:\s*"[^"]*"\s*,\s*)*"value"\s*:\s*\[')
_CONTEXT_COLLECTION = re.compile(r"#Collection\(([A-Za-z_][\w.]*)\)")
_REFERENCE_LINK = re.compile(r"\[\**([A-Za-z_][A-Za-z0-9_.]*)\**\]\[[^\[\]\s]*\]")
_PRIMITIVE = re.compile(
    r"\b(?:an?|the|and)\s+(String|Int16|Int32|Int64|Boolean|Stream|Double|Single|Decimal|"
    r"DateTimeOffset|Date|Guid|Binary|(?i:boolean|string|int32|int64)(?=\s+(?:value|collection)\b))"
    r"\b(?!\s+(?:property|properties|parameter))"
)
#: ``base-64 image string in the response body``, ``a Boolean value in the response body``.
_PRIMITIVE_IN_BODY = re.compile(
    r"\b(string|boolean)\s+(?:value\s+)?in\s+the\s+response\s+body", re.IGNORECASE
)
#: ``a `true` value is returned in the response body`` (said under a condition, too).
_BOOLEAN_RETURNED = re.compile(
    r"\b(?:a|the)\s+`?(?:true|false)`?\s+value\s+is\s+returned\b", re.IGNORECASE
)
#: A type written as a bare name: ``and a stringKeyStringValuePair.``; ``a JSON collection
#: of **recentNotebooks**`` (bold or code, a plural for the items' type).
_BARE_TYPE = re.compile(
    r"\b(?:an?|the)\s+([a-z]+[A-Z][A-Za-z0-9]*)(?=\s*(?:[.;]|$|objects?\b|collection\b))"
)
_MARKED_ITEMS = re.compile(
    r"\b(?:collection|list|array)\s+of\s+(\*\*|`)([a-z]+[A-Z][A-Za-z0-9]*)\1", re.IGNORECASE
)
#: ``a 200-series response code``, ``a 2xx status``: any success.
_SERIES = re.compile(r"(?:-series|-level|xx)\b", re.IGNORECASE)
_SUCCESSES = (200, 201, 202, 203, 204, 205, 206, 207, 208, 226)
#: Words before a type's link that name what the response is expanded with, not the response.
_EXPANDED_WITH = re.compile(
    r"(?:expanded|extended) with (?:the |a |an )?(?:matching )?$", re.IGNORECASE
)
#: After a type's link: another type it may be instead ("[user] and/or [group] objects").
_ALTERNATIVE = re.compile(r"\s*(?:objects?\s+)?(?:and/or|or)\s+(?:an?\s+)?\[", re.IGNORECASE)
#: ``a SAS URL for the [x]``: a link after a preposition is not what comes back.
_AFTER_PREPOSITION = re.compile(r"\b(?:for|to|from|about|on|with)\s+(?:the\s+|an?\s+)?$", re.I)
#: ``$metadata#microsoft.graph.stringKeyStringValuePair``: a context naming one type.
_CONTEXT_TYPE = re.compile(r"\$metadata#((?:microsoft\.graph|Edm)\.[A-Za-z_]\w*)$")
_COLLECTION_BEFORE = re.compile(r"\b(?:collection|list|array|set)\s+of\b[^.]*$", re.IGNORECASE)
_COLLECTION_AFTER = re.compile(
    r"^\W*(?:collection\b|objects\b|items\b|resources\b|entities\b|instances\b)", re.IGNORECASE
)


@dataclass(frozen=True)
class _Said:
    """What one place says: a type (or None) and whether it is a collection (None: silent)."""

    type: str | None
    collection: bool | None
    where: str
    line: int | None = None
    nothing: bool = False  # the prose says no body comes back


def _response_text(ctx: PageContext) -> tuple[str, int | None]:
    """Prose of the page's own Response section (level 2), else of every Response section."""
    indexes = ctx.sections("response", exact=True)
    top = [index for index in indexes if ctx.doc.headings[index].level <= 2]
    blocks = [block for index in (top or indexes) for block in ctx.doc.section_blocks(index)]
    prose = [block for block in blocks if block.kind in ("paragraph", "note", "list")]
    return " ".join(block.text for block in prose), (prose[0].line if prose else None)


def _status(text: str, examples: list[Example]) -> int | None:
    """The code the prose says the method returns, else the example's, else any code."""
    returned = _RETURNS_CODE.search(text)
    if returned:
        return int(returned.group(1))
    for example in examples:
        if example.role == "response" and example.http and example.http.status:
            return example.http.status
    any_code = _CODE.search(text)
    return int(any_code.group(1)) if any_code else None


def _prose(ctx: PageContext, text: str, line: int | None) -> tuple[_Said | None, int | None]:
    """What the success sentences say comes back, and the status of the first of them.

    The first success sentence (``returns a `200 OK` ...``, not one that starts with a
    condition such as ``If the request specifies Prefer ...``) that names a type wins, with
    the plain sentences after it that speak of the body (not of a header): a report lists
    its CSV redirect (``302``, the status) and then its JSON response, whose type it
    answers with when asked for JSON. A sentence that says nothing comes back ends the
    search."""
    sentences = _SENTENCE_END.split(text)
    status: int | None = None
    for start, sentence in enumerate(sentences):
        code = _RETURNS_CODE.search(sentence)
        if code is None or _CONDITION.match(sentence):
            continue
        status = status or int(code.group(1))
        tails = [sentence[code.end() :]]
        for follower in sentences[start + 1 :]:
            if _CONDITIONAL.search(follower) or _CODE.search(follower):
                break
            if "body" in follower.lower() and "header" not in follower.lower():
                tails.append(follower)
        for tail in tails:
            if _NOTHING.search(tail):
                return _Said(None, None, "the response prose", line, nothing=True), status
            if "header" in tail.lower() and "body" not in tail.lower():
                continue  # ``a Location: header pointing to the [operation]``: not the body
            said = _named_type(ctx, tail)
            if said is not None:
                return _Said(said[0] or None, said[1], "the response prose", line), status
    boolean = _BOOLEAN_RETURNED.search(text)
    if boolean is not None:  # "If the group is added, a `true` value is returned ..."
        return _Said("Edm.Boolean", False, "the response prose", line), status
    return None, status


def _singular_of_target(name: str, target: str) -> str:
    """``[chatMessages](../resources/chatmessage.md)``: a plural link text names the type of
    the page it links, ``chatMessage``."""
    head, dot, short = name.rpartition(".")
    stem = target.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".md").lower()
    one = singular(short)
    if short.lower() != stem and one.lower() == stem:
        return f"{head}{dot}{one}"
    return name


def _many(before: str, after: str) -> bool | None:
    """True when the words around a type make it a collection (``a collection of [x]
    objects``, ``[x] collection``); None otherwise: ``a [x] object`` is how pages word
    collections too, so it leaves the question to the annotation and the body."""
    return True if _COLLECTION_BEFORE.search(before) or _COLLECTION_AFTER.match(after) else None


def _named_type(ctx: PageContext, text: str) -> tuple[str, bool | None] | None:
    """The first type a text names (a link to a type page, a reference-style link
    ``[contentType][]``, or a primitive), and whether it is said to be a collection."""
    for match in _LINK.finditer(text):
        target = match.group(2)
        if "resources/" not in target:  # a link to an api page (``x-get.md``) names no type
            continue
        ref, _ = parse_type_cell(match.group(0), ctx.namespace)
        if ref.type and not ref.type.startswith("Edm."):
            before, after = text[: match.start()], text[match.end() :]
            if _AFTER_PREPOSITION.search(before) or _EXPANDED_WITH.search(before[-60:]):
                continue  # ``a SAS URL for the [x]``, ``expanded with the [x]``: not the body
            if _ALTERNATIVE.match(after):  # ``[user] and/or [group] objects``: no one type
                return "", _many(before, after)
            if _PRIMITIVE.search(before) is None:
                return _singular_of_target(ref.type, target), _many(before, after)
            break
    reference = _REFERENCE_LINK.search(text)
    primitive = _PRIMITIVE.search(text)
    if reference is not None and (primitive is None or reference.start() < primitive.start()):
        before, after = text[: reference.start()], text[reference.end() :]
        return qualify(reference.group(1), ctx.namespace), _many(before, after)
    if primitive is not None:
        before, after = text[: primitive.start(1)], text[primitive.end(1) :]
        return qualify(primitive.group(1)), _many(before, after)
    return _plain_named_type(ctx, text)


def _plain_named_type(ctx: PageContext, text: str) -> tuple[str, bool | None] | None:
    """A type named without a link: a primitive in the body (``image string in the response
    body``), a marked plural after ``collection of`` (``**recentNotebooks**``: its items'
    type), a camelCase name after an article (``a stringKeyStringValuePair``)."""
    in_body = _PRIMITIVE_IN_BODY.search(text)
    if in_body is not None:
        return qualify(in_body.group(1).capitalize()), None
    marked = _MARKED_ITEMS.search(text)
    if marked is not None:
        return qualify(singular(marked.group(2)), ctx.namespace), True
    bare = _BARE_TYPE.search(text)
    if bare is not None:
        return qualify(bare.group(1), ctx.namespace), _many(
            text[: bare.start(1)], text[bare.end(1) :]
        )
    return None


def _annotation(ctx: PageContext, example: Example) -> _Said | None:
    annotation = example.annotation if isinstance(example.annotation, dict) else {}
    raw = annotation.get("@odata.type") or annotation.get("@type")  # some pages write @type
    if not isinstance(raw, str) or not raw.strip():
        return None
    name = raw.strip().lstrip("#")
    many: bool | None = None
    match = re.fullmatch(r"Collection\((.*)\)", name, re.IGNORECASE)
    if match:
        name, many = match.group(1).strip().lstrip("#"), True
    flag = annotation.get("isCollection")
    if isinstance(flag, str):
        flag = flag.strip().lower() == "true"
    if many is None and isinstance(flag, bool):
        many = flag
    if not name or name.rsplit(".", 1)[-1].lower() == "none":
        return _Said(None, None, "the response annotation", example.line)
    full = name if "." in name else qualify(name, ctx.namespace)
    return _Said(full, many, "the response annotation", example.line)


def _body(example: Example) -> _Said | None:
    """What the example's body shows: ``{"value": [...]}`` or a ``#Collection(x)`` context
    is a collection (read from the raw text when a cut body does not parse)."""
    body: Any = example.json_value
    if not isinstance(body, dict):
        raw = example.raw_body or ""
        cast = _CONTEXT_COLLECTION.search(raw)
        if cast is not None or _VALUE_ARRAY.search(raw):
            return _Said(cast.group(1) if cast else None, True, _BODY, example.line)
        return None
    value = body.get("value")
    many = isinstance(value, list)
    item = value[0] if many and value else (None if many else body)
    odata = item.get("@odata.type") if isinstance(item, dict) else None
    name = odata.strip().lstrip("#") if isinstance(odata, str) and odata.strip() else None
    if (
        isinstance(value, list)
        and len({str(i.get("@odata.type")) for i in value if isinstance(i, dict)}) > 1
    ):
        name = None  # users and groups: the items name no one type
    context = body.get("@odata.context")
    cast = _CONTEXT_COLLECTION.search(context) if isinstance(context, str) else None
    if cast is not None:
        many, name = True, name or cast.group(1)
    elif isinstance(context, str) and name is None:
        single = _CONTEXT_TYPE.search(context)
        name = single.group(1) if single is not None else None
    if not many and name is None:
        return None
    return _Said(name, many, _BODY, example.line)


def _example(ctx: PageContext, examples: list[Example], prose: _Said | None) -> Example | None:
    """The response example that shows the response: the first one annotated with the type
    the prose names (a report's JSON response after its CSV one), else the first."""
    responses = [example for example in examples if example.role == "response"]
    if prose is not None and prose.type is not None:
        for example in responses:
            said = _annotation(ctx, example)
            if said is not None and said.type is not None and _same(said.type, prose.type):
                return example
    return responses[0] if responses else None


def _same(left: str | None, right: str | None) -> bool:
    """Type names compared as users read them: case and namespace aside."""
    if left is None or right is None:
        return True
    return left.rsplit(".", 1)[-1].casefold() == right.rsplit(".", 1)[-1].casefold()


def read_response(ctx: PageContext, examples: list[Example]) -> ResponseInfo:
    """Status, type and collection, from prose, then annotation, then body."""
    text, line = _response_text(ctx)
    prose, status = _prose(ctx, text, line)
    response = ResponseInfo(status=status or _status(text, examples))
    # every status a success sentence names ("204", or "200" when asked with Prefer); a
    # "200-series response code" is any success
    statuses: set[int] = set()
    for stated in _RETURNS_CODE.finditer(text):
        code = int(stated.group(1))
        series = _SERIES.match(text, stated.end())
        statuses.update(_SUCCESSES if series and code == 200 else (code,))
    response.statuses = sorted(statuses)
    said: list[_Said] = []
    if prose is not None:
        said.append(prose)
    example = _example(ctx, examples, prose)
    if example is not None:
        for found in (_annotation(ctx, example), _body(example)):
            if found is not None:
                said.append(found)
    if prose is not None and prose.nothing:
        said = []  # the prose says nothing comes back
    typed = [s for s in said if s.type is not None]
    if typed:
        response.type = typed[0].type
    source = next(  # a body's items may be of derived types: its word counts as is
        (
            s
            for s in said
            if s.collection is not None and (s.where == _BODY or _same(s.type, response.type))
        ),
        None,
    )
    response.collection = bool(source.collection) if source is not None else False
    if said and said[0].type is not None:
        _report(ctx, said)
    return response


def _report(ctx: PageContext, said: list[_Said]) -> None:
    """A ``response-differs`` diagnostic for the first place that contradicts the first."""
    if len(said) < 2:
        return
    first = said[0]
    for other in said[1:]:
        clash = (other.where != _BODY and not _same(first.type, other.type)) or (
            first.collection is not None
            and other.collection is not None
            and first.collection != other.collection
        )
        if clash:
            ctx.report(
                "response-differs",
                "info",
                other.line,
                f"{first.where} says {_text(first)} but {other.where} {_text(other)}; "
                f"keeping {_text(first)}",
            )
            return


def _text(said: _Said) -> str:
    return f"{said.type} collection" if said.collection else str(said.type)
