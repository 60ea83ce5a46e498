"""The OpenAPI document of each version: its path items and components, written as YAML one
piece per path item and component, so that a build remakes only the pieces whose parts changed."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any, NamedTuple

from extractor.gcpause import gc_paused
from extractor.render import yamlout
from extractor.render.openapi.operations import _has_json_body, _operation, _security_schemes
from extractor.render.openapi.paths import _path_layout, _Placed, normalize_path
from extractor.render.openapi.schemas import _component_schema, _components, _Schemas
from extractor.render.templating import environment
from extractor.reuse import RenderPieces
from extractor.schema import VERSIONS, Fixture, SpecEnumDef, SpecOperation, SpecTypeDef, UnifiedSpec

OPENAPI_VERSION = "3.1.0"


def _path_item(template: str, placed: list[_Placed], source: _Sources) -> dict[str, Any]:
    _, names = normalize_path(template)
    item: dict[str, Any] = {}
    if names:
        item["parameters"] = [
            {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
        ]
    for method, op, operation_id, deprecated, also in placed:
        body = _operation(op, source.version, source.schemas, source.with_examples(op))
        body["operationId"] = operation_id
        if deprecated:
            body["deprecated"] = True
        if also is not None:
            body["x-also-documented-by"] = list(also)
        item[method] = body
    return item


class _Sources(NamedTuple):
    """What one version's document is made from."""

    version: str
    operations: list[SpecOperation]
    schemas: _Schemas
    components: dict[str, tuple[SpecTypeDef | SpecEnumDef, tuple[str, ...]]]
    layout: dict[str, list[_Placed]]
    #: An operation's fixtures, by operation id, in id order.
    fixtures: dict[str, list[Fixture]]
    #: Whether a fixture's body can be an example, by ``id(fixture)``: checked once, when
    #: first asked (only the items made again ask).
    examples: dict[int, bool]

    def with_examples(self, op: SpecOperation) -> list[Fixture]:
        """The operation's fixtures whose JSON body can be an example."""
        found = []
        for fixture in self.fixtures.get(op.id, ()):
            usable = self.examples.get(id(fixture))
            if usable is None:
                usable = self.examples[id(fixture)] = _has_json_body(fixture)
            if usable:
                found.append(fixture)
        return found


def _fixtures_by_version(fixtures: list[Fixture] | None) -> dict[str, dict[str, list[Fixture]]]:
    """Each version's fixtures of an operation, by operation id, in id order."""
    grouped: dict[str, dict[str, list[Fixture]]] = {version: {} for version in VERSIONS}
    for fixture in sorted(fixtures or [], key=lambda f: f.id):
        if fixture.operation is not None and fixture.version in grouped:
            grouped[fixture.version].setdefault(fixture.operation, []).append(fixture)
    return grouped


def _sources(
    spec: UnifiedSpec,
    version: str,
    fixtures: dict[str, list[Fixture]],
    pieces: RenderPieces | None = None,
) -> _Sources:
    """With ``pieces``, the path layout is last build's when the version's operations are
    the very same objects (an edit that redid no operation): laying out 5,000 operations'
    paths was a fifth of a one-page build's render on the real corpus."""
    operations = sorted(
        (op for op in spec.operations if version in op.versions), key=lambda o: o.id
    )
    types = sorted((t for t in spec.types if version in t.versions), key=lambda t: t.name)
    enums = sorted((e for e in spec.enums if version in e.versions), key=lambda e: e.name)
    schemas = _Schemas(types, enums, version)
    memo = (pieces or RenderPieces()).memo(f"openapi/{version}/layout")
    layout = memo.get("layout", (tuple(operations),), partial(_path_layout, operations, version))
    return _Sources(
        version,
        operations,
        schemas,
        _components(types, enums, schemas),
        layout,
        fixtures,
        {},
    )


def _head(version: str) -> dict[str, Any]:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Microsoft Graph {version} (extracted from docs)",
            "version": version,
        },
        "servers": [{"url": f"https://graph.microsoft.com/{version}"}],
    }


def build_openapi(
    spec: UnifiedSpec, version: str, fixtures: list[Fixture] | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one version, as plain data ready for YAML."""
    source = _sources(spec, version, _fixtures_by_version(fixtures)[version])
    schemas = source.schemas
    return {
        **_head(version),
        "paths": {
            template: _path_item(template, placed, source)
            for template, placed in source.layout.items()
        },
        "components": {
            "schemas": {
                name: _component_schema(item, descendants, version, schemas)
                for name, (item, descendants) in source.components.items()
            },
            "securitySchemes": _security_schemes(source.operations, version),
        },
    }


def dump_yaml(document: dict[str, Any]) -> str:
    """Deterministic YAML text: sorted keys, unicode kept, never folded (see ``yamlout``)."""
    return yamlout.dump(document)


def _names_digest(schemas: _Schemas) -> str:
    """What every schema reference of a version resolves to, in one value."""
    text = "\n".join(f"{key}\t{name}" for key, name in sorted(schemas.names.items()))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _mapping(key: str, entries: dict[str, bytes], pad: str) -> list[bytes]:
    """``yamlout``'s lines of ``key:`` over a mapping whose entries are written already."""
    if not entries:
        return [f"{pad}{key}: {{}}\n".encode()]
    return [f"{pad}{key}:\n".encode(), *(entries[k] for k in sorted(entries, key=str))]


def _entry(key: str, value: Any, pad: str, keys: dict[str, str]) -> bytes:
    """One mapping entry's lines, as UTF-8 (a piece is encoded once, when it is made)."""
    return (yamlout.dump_entry(key, value, pad, keys) + "\n").encode()


def _schema_entry(
    name: str,
    item: SpecTypeDef | SpecEnumDef,
    descendants: tuple[str, ...],
    version: str,
    schemas: _Schemas,
    keys: dict[str, str],
) -> bytes:
    return _entry(name, _component_schema(item, descendants, version, schemas), "    ", keys)


def _path_entry(
    template: str, placed: list[_Placed], source: _Sources, keys: dict[str, str]
) -> bytes:
    return _entry(template, _path_item(template, placed, source), "  ", keys)


def _document_body(source: _Sources, pieces: RenderPieces) -> list[bytes]:
    """The document's YAML, from one piece per component and per path item: a piece is
    made again only when something it was made from changed (see ``pieces``)."""
    version, schemas = source.version, source.schemas
    keys: dict[str, str] = {}
    names = _names_digest(schemas)
    memo = pieces.memo(f"openapi/{version}/schemas")
    components = {
        name: memo.get(
            name,
            (names, item, descendants),
            partial(_schema_entry, name, item, descendants, version, schemas, keys),
        )
        for name, (item, descendants) in source.components.items()
    }
    memo = pieces.memo(f"openapi/{version}/paths")
    paths = {}
    for template, placed in source.layout.items():
        made_from: tuple[object, ...] = (names,)
        for p in placed:
            fixtures = source.fixtures.get(p.op.id, ())
            made_from += ((p.method, p.op, p.operation_id, p.deprecated, p.also, *fixtures),)
        paths[template] = memo.get(
            template, made_from, partial(_path_entry, template, placed, source, keys)
        )
    security = _security_schemes(source.operations, version)
    top = {
        "components": [
            b"components:\n",
            *_mapping("schemas", components, "  "),
            _entry("securitySchemes", security, "  ", keys),
        ],
        "paths": _mapping("paths", paths, ""),
        **{key: [_entry(key, value, "", keys)] for key, value in _head(version).items()},
    }
    return [chunk for key in sorted(top) for chunk in top[key]]


_BODY = "\x00body\x00"


def render_openapi_files(
    spec: UnifiedSpec, fixtures: list[Fixture] | None = None, pieces: RenderPieces | None = None
) -> dict[str, bytes]:
    """{"openapi/v1.0.yaml": ..., "openapi/beta.yaml": ...} as UTF-8. With ``pieces`` (the
    last build's), only the pieces made from parts the update redid are written again."""
    pieces = pieces if pieces is not None else RenderPieces()
    template = environment().get_template("openapi/document.yaml.j2")
    files = {}
    with gc_paused():
        grouped = _fixtures_by_version(fixtures)
        for version in VERSIONS:
            # The template frames the body, which is joined in as bytes, not rendered in.
            frame = template.render(version=version, openapi_version=OPENAPI_VERSION, body=_BODY)
            head, tail = frame.split(_BODY)
            body = _document_body(_sources(spec, version, grouped[version], pieces), pieces)
            files[f"openapi/{version}.yaml"] = b"".join([head.encode(), *body, tail.encode()])
    return files


def render_openapi(spec: UnifiedSpec, fixtures: list[Fixture] | None = None) -> dict[str, str]:
    """``render_openapi_files`` as text."""
    return {name: text.decode() for name, text in render_openapi_files(spec, fixtures).items()}
