"""Every fenced example of a page, with its annotation, parsed HTTP and JSON.

The role comes from the annotation's ``blockType`` when it says request, response or
resource; ``example``, ``ignored`` and missing annotations are decided from the content (a
POST to a bot's callback URL is a notification). A callback ``POST`` fence without a body
followed by a JSON fence is one notification, as a reader of the page sees it.
"""

from __future__ import annotations

import re
from typing import Any

from extractor.read.httpblock import parse_http_message
from extractor.read.jsonish import BodyResult, looks_like_json, parse_body
from extractor.read.jsonish.keylines import key_lines
from extractor.read.markdown import Block, Fence
from extractor.read.pages.context import (
    MAX_JSON_DEPTH,
    PageContext,
    json_trouble,
    scrub_surrogates,
    section_key,
)
from extractor.schema import Example, ExampleRole, HttpMessage

_HTTP_START = re.compile(
    r"^\s*(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S|HTTP(?:/\d(?:\.\d)?)?\s+\d{3})",
    re.IGNORECASE,
)
_EXAMPLE_INFOS = {"http", "json", "msgraph-interactive"}
_GRAPH_HOST = "graph.microsoft.com"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _is_example_fence(fence: Fence) -> bool:
    if fence.annotation is not None or fence.annotation_error is not None:
        return True
    info = fence.info.lower().split()[0] if fence.info.strip() else ""
    if info in _EXAMPLE_INFOS:
        return True
    return bool(_HTTP_START.match(fence.content)) or looks_like_json(fence.content)


def _role(
    annotation: dict[str, Any], http: HttpMessage | None, value: Any, in_representation: bool
) -> ExampleRole:
    block_type = str(annotation.get("blockType", "")).strip().lower()
    external = http is not None and http.host is not None and http.host != _GRAPH_HOST
    if http is not None and http.kind == "request" and external:
        return "notification"
    if block_type in ("request", "response", "resource"):
        return block_type  # type: ignore[return-value]
    if http is not None:
        return "request" if http.kind == "request" else "response"
    if in_representation:
        return "resource"
    odata = str(annotation.get("@odata.type", ""))
    if isinstance(value, dict):
        odata = odata or str(value.get("@odata.type", ""))
    if "notification" in odata.lower():
        return "notification"
    return "other"


def _apply_body(ctx: PageContext, example: Example, text: str | None, first_line: int) -> None:
    if text is None or not text.strip():
        example.body_kind = "empty"
        return
    result: BodyResult = parse_body(text, first_line)
    example.body_kind = result.kind
    example.repairs = list(result.repairs)
    if result.kind == "json":
        example.json_value = _writable(ctx, result.value, example.line, "body")
        if example.json_value is None and result.value is not None:
            example.body_kind, example.raw_body = "text", text
        else:
            example.key_lines = key_lines(text, example.json_value, first_line)
    else:
        example.raw_body = text
    if result.error:
        example.raw_body = text
        ctx.report(
            "body-unparsable",
            "warning",
            result.error_line or first_line,
            f"example at line {example.line}: JSON body does not parse ({result.error})",
        )
    elif result.repairs:
        kinds = sorted({repair.kind for repair in result.repairs})
        ctx.report(
            "json-repaired",
            "info",
            result.repairs[0].line or first_line,
            f"example at line {example.line}: repaired {', '.join(kinds)}",
        )


def _writable(ctx: PageContext, value: Any, line: int, what: str) -> Any:
    """The value as a record can hold it: None when nested too deep, surrogates replaced."""
    too_deep, surrogates = json_trouble(value)
    if too_deep:
        ctx.report(
            f"{what}-too-deep",
            "warning",
            line,
            f"example at line {line}: {what} nests deeper than {MAX_JSON_DEPTH} levels; not kept",
        )
        return None
    if surrogates:
        ctx.report(
            f"{what}-invalid-unicode",
            "warning",
            line,
            f"example at line {line}: {what} escapes a lone surrogate; replaced by U+FFFD",
        )
        return scrub_surrogates(value)
    return value


def _build_example(ctx: PageContext, block: Block, in_representation: bool) -> Example:
    fence = block.fence
    assert fence is not None
    annotation = _writable(ctx, dict(fence.annotation or {}), fence.line, "annotation") or {}
    if fence.annotation_error:
        ctx.report(
            "annotation-invalid",
            "warning",
            fence.annotation_line,
            f"annotation comment is not valid JSON: {fence.annotation_error}",
        )
    if fence.prose_between:
        ctx.report(
            "annotation-gap", "info", fence.annotation_line, "prose between annotation and fence"
        )
    http: HttpMessage | None = None
    if _HTTP_START.match(fence.content):
        http, problems = parse_http_message(fence.content, fence.content_line)
        for message, line in problems:
            ctx.report("http-malformed", "warning", line or fence.line, message)
    example = Example(
        id="",
        role="other",
        name=str(annotation["name"]) if annotation.get("name") else None,
        annotation=annotation,
        fence_info=fence.info,
        http=http,
        truncated=bool(annotation.get("truncated") is True),
        line=fence.line,
        end_line=fence.end_line,
    )
    if http is not None:
        _apply_body(ctx, example, http.body, http.body_line or fence.content_line)
    else:
        _apply_body(ctx, example, fence.content, fence.content_line)
    example.role = _role(annotation, http, example.json_value, in_representation)
    _check_fence(ctx, fence)
    return example


def _check_fence(ctx: PageContext, fence: Fence) -> None:
    lines = fence.content.split("\n")
    if any(line.lstrip().startswith("```") for line in lines):
        ctx.report("fence-nested-opener", "warning", fence.line, "fence holds a second opener")
    if any(line.startswith("## ") or line.lstrip().startswith("<!-- {") for line in lines):
        ctx.report(
            "fence-swallows-content",
            "warning",
            fence.line,
            "fence swallows headings or annotations (an opener without a closer?)",
        )


def _merge_notifications(examples: list[Example]) -> list[Example]:
    """A bodiless callback POST followed by a JSON fence is one notification."""
    merged: list[Example] = []
    index = 0
    while index < len(examples):
        current = examples[index]
        following = examples[index + 1] if index + 1 < len(examples) else None
        if (
            current.role == "notification"
            and current.http is not None
            and current.body_kind == "empty"
            and following is not None
            and following.http is None
            and following.body_kind != "empty"
        ):
            annotation = {**following.annotation, **current.annotation}
            current = current.model_copy(
                update={
                    "annotation": annotation,
                    "json_value": following.json_value,
                    "body_kind": following.body_kind,
                    "raw_body": following.raw_body,
                    "repairs": following.repairs,
                    "end_line": following.end_line,
                    "truncated": current.truncated or following.truncated,
                }
            )
            index += 1
        merged.append(current)
        index += 1
    return merged


def _assign_ids(examples: list[Example]) -> None:
    seen: dict[str, int] = {}
    last_request_name: str | None = None
    for example in examples:
        base = example.name
        if example.role == "request":
            last_request_name = base
        elif base is None and example.role == "response":
            base = last_request_name
        if base is None and example.role == "resource":
            odata = str(example.annotation.get("@odata.type", "")).rsplit(".", 1)[-1]
            base = odata or None
        stem = _ID_UNSAFE.sub("-", f"{base or 'example'}-{example.role}").strip("-")
        count = seen.get(stem, 0) + 1
        seen[stem] = count
        example.id = stem if count == 1 else f"{stem}-{count}"


def read_examples(ctx: PageContext, skip_lines: set[int]) -> list[Example]:
    """Examples in page order; ``skip_lines`` are fences already read as request syntax."""
    examples: list[Example] = []
    for block in ctx.doc.blocks:
        if block.kind != "fence" or block.fence is None or block.line in skip_lines:
            continue
        if not _is_example_fence(block.fence):
            continue
        in_representation = block.section >= 0 and section_key(
            ctx.doc.headings[block.section]
        ).startswith("json-representation")
        examples.append(_build_example(ctx, block, in_representation))
    examples = _merge_notifications(examples)
    _assign_ids(examples)
    return examples
