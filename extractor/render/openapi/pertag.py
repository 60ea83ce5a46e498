"""Per-tag documents for mock servers: ``openapi/<version>/<tag>.yaml``, each one tag's path
items and the components they reach, with navigation properties as open objects.

Why: a mock server such as Prism dereferences every ``$ref`` and then copies each shared
schema along every path that reaches it, cutting only cycles. Navigation properties link
nearly every entity to nearly every other (``user.manager``, ``group.owners``...), so the
whole document unfolds into more nodes than fit in memory, and Prism had not started on it
after minutes. Without the references of navigation properties the v1.0 schemas unfold to
about 10^5 nodes and a tag's document starts in seconds. A navigation property is sent only
under ``$expand``, so a mock loses little; the whole documents keep every type for
generators. Discriminator mappings are left out for the same reason (they name every
descendant); ``@odata.type`` still says an object's type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from extractor.render import yamlout

NAVIGATION = "x-ms-navigationProperty"
SCHEMAS = "#/components/schemas/"
PARAMETERS = "#/components/parameters/"


class Piece(NamedTuple):
    """One path item or component as YAML, with the tag it belongs to (path items) and the
    components it refers to."""

    text: bytes
    refs: tuple[str, ...]
    tag: str = ""


def refs_of(value: Any) -> tuple[str, ...]:
    """Every ``$ref`` in ``value`` (discriminator mappings are strings, not references)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return tuple(sorted(found))


def _open(value: Any) -> Any:
    """``value`` with each reference as an open object titled by the component's name."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            rest = {k: _open(v) for k, v in value.items() if k != "$ref"}
            return {"type": "object", "title": ref.rsplit("/", 1)[-1], **rest}
        return {k: _open(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_open(v) for v in value]
    return value


def mock_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A component schema as the per-tag documents hold it: navigation properties open,
    no discriminator mapping."""
    result = dict(schema)
    if "discriminator" in result:
        result["discriminator"] = {"propertyName": result["discriminator"]["propertyName"]}
    parts = result.get("allOf")
    if isinstance(parts, list):
        result["allOf"] = [_mock_object(p) if isinstance(p, dict) else p for p in parts]
    return _mock_object(result)


def _mock_object(schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return schema
    opened = {
        name: _open(value) if isinstance(value, dict) and value.get(NAVIGATION) else value
        for name, value in properties.items()
    }
    return {**schema, "properties": opened}


def _closure(start: Iterable[str], pieces: dict[str, Piece]) -> list[str]:
    """The component names reached from ``start`` through the pieces' references."""
    seen: set[str] = set()
    stack = [r[len(SCHEMAS) :] for r in start if r.startswith(SCHEMAS)]
    while stack:
        name = stack.pop()
        if name in seen or name not in pieces:
            continue
        seen.add(name)
        stack.extend(r[len(SCHEMAS) :] for r in pieces[name].refs if r.startswith(SCHEMAS))
    return sorted(seen)


def tag_documents(
    version: str,
    head: dict[str, Any],
    paths: dict[str, Piece],
    schemas: dict[str, Piece],
    components: dict[str, Any],
) -> dict[str, bytes]:
    """``{"openapi/<version>/<tag>.yaml": ...}``: one tag's path items (joined from the
    whole document's pieces), its tag, and the components they reach."""
    by_tag: dict[str, list[str]] = {}
    for template in sorted(paths):
        by_tag.setdefault(paths[template].tag, []).append(template)
    tags = {t["name"]: t for t in head.get("tags", [])}
    files = {}
    keys: dict[str, str] = {}
    for tag, templates in sorted(by_tag.items()):
        refs = {r for t in templates for r in paths[t].refs}
        refs.update(refs_of(components.get("responses", {})))
        names = _closure(refs, schemas)
        used = {r[len(PARAMETERS) :] for r in refs if r.startswith(PARAMETERS)}
        top_head = {
            **head,
            "info": {
                **head["info"],
                "title": f"{head['info']['title']}: {tag} (for mock servers)",
                "description": (
                    f"The operations tagged {tag}, for mock servers: navigation properties "
                    "are open objects here, as they are sent only under $expand (see the "
                    f"whole document, openapi/{version}.yaml, for their types)."
                ),
            },
            "tags": [tags.get(tag, {"name": tag})],
        }
        parameters = {k: v for k, v in components.get("parameters", {}).items() if k in used}
        chunks = [
            b"components:\n",
            _entry("parameters", parameters, "  ", keys),
            _entry("responses", components.get("responses", {}), "  ", keys),
            b"  schemas:\n" if names else b"  schemas: {}\n",
            *(schemas[n].text for n in names),
            _entry("securitySchemes", components.get("securitySchemes", {}), "  ", keys),
        ]
        top = {
            "components": chunks,
            "paths": [b"paths:\n", *(paths[t].text for t in templates)],
            **{k: [_entry(k, v, "", keys)] for k, v in top_head.items()},
        }
        files[f"openapi/{version}/{tag}.yaml"] = b"".join(
            chunk for key in sorted(top) for chunk in top[key]
        )
    return files


def _entry(key: str, value: Any, pad: str, keys: dict[str, str]) -> bytes:
    return (yamlout.dump_entry(key, value, pad, keys) + "\n").encode()
