"""The OpenAPI document of each version: its path items and components, written as YAML one
piece per path item and component, so that a build remakes only the pieces whose parts changed."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any, NamedTuple

from extractor.gcpause import gc_paused
from extractor.render import yamlout
from extractor.render.openapi.components import (
    Component,
    _component_schema,
    _components,
    error_schemas,
    page_name,
)
from extractor.render.openapi.operations import (
    ERROR_RESPONSE,
    Placement,
    _has_json_body,
    _operation,
)
from extractor.render.openapi.parameters import SYSTEM_OPTIONS, system_parameters
from extractor.render.openapi.paths import _path_layout, _Placed, normalize_path
from extractor.render.openapi.pertag import Piece, mock_schema, refs_of, tag_documents
from extractor.render.openapi.schemas import _Schemas, page_schema
from extractor.render.openapi.security import security_schemes
from extractor.render.openapi.tags import path_tag, tag_description
from extractor.render.openapi.unique import unique_ids
from extractor.render.openapi.widen import widened
from extractor.render.templating import environment
from extractor.reuse import RenderPieces
from extractor.schema import VERSIONS, Fixture, SpecOperation, UnifiedSpec

OPENAPI_VERSION = "3.1.0"
_ERROR_NAME = "microsoft.graph.ODataErrors.ODataError"


class _Sources(NamedTuple):
    """What one version's document is made from."""

    version: str
    operations: list[SpecOperation]
    schemas: _Schemas
    components: dict[str, Component]
    layout: dict[str, list[_Placed]]
    #: The operation id of each placed operation, by (template, method): unique ignoring case.
    ids: dict[tuple[str, str], str]
    #: An operation's live paths, by operation id, for its deprecated paths to point to.
    live: dict[str, tuple[str, ...]]
    #: Each path's tag, unique ignoring case.
    tags: dict[str, str]
    #: An operation's fixtures, by operation id, in id order.
    fixtures: dict[str, list[Fixture]]
    #: Whether a fixture's body can be an example, by ``id(fixture)``: checked once, when
    #: first asked (only the items made again ask).
    examples: dict[int, bool]

    def with_examples(self, op_id: str) -> list[Fixture]:
        """The operation's fixtures whose JSON body can be an example."""
        found = []
        for fixture in self.fixtures.get(op_id, ()):
            usable = self.examples.get(id(fixture))
            if usable is None:
                usable = self.examples[id(fixture)] = _has_json_body(fixture)
            if usable:
                found.append(fixture)
        return found


def _path_item(template: str, placed: list[_Placed], source: _Sources) -> dict[str, Any]:
    _, names = normalize_path(template)
    item: dict[str, Any] = {}
    if names:
        item["parameters"] = [
            {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
        ]
    for method, op, _, deprecated, also in placed:
        live = source.live.get(op.id, ()) if deprecated else ()
        instead = tuple(p for p in live if p != template)
        op_id = source.ids[(template, method)]
        placement = Placement(template, names, op_id, deprecated, source.tags[template], instead)
        # Pages that document the same request (one per derived type of a created entity)
        # document its examples too.
        examples = [e for i in (op.id, *(also or ())) for e in source.with_examples(i)]
        body = _operation(op, source.version, source.schemas, examples, placement)
        if also is not None:
            body["x-also-documented-by"] = list(also)
        item[method] = body
    return item


def _fixtures_by_version(fixtures: list[Fixture] | None) -> dict[str, dict[str, list[Fixture]]]:
    """Each version's fixtures of an operation, by operation id, in id order."""
    grouped: dict[str, dict[str, list[Fixture]]] = {version: {} for version in VERSIONS}
    for fixture in sorted(fixtures or [], key=lambda f: f.id):
        if fixture.operation is not None and fixture.version in grouped:
            grouped[fixture.version].setdefault(fixture.operation, []).append(fixture)
    return grouped


def _live_paths(operations: list[SpecOperation], version: str) -> dict[str, tuple[str, ...]]:
    live = {}
    for op in operations:
        paths = sorted(
            {
                normalize_path(p.path)[0]
                for p in op.paths
                if version in p.versions and not p.deprecated
            }
        )
        if paths:
            live[op.id] = tuple(paths)
    return live


def _pages(operations: list[SpecOperation], version: str, schemas: _Schemas) -> dict[str, str]:
    """The page component of each component some placed operation of ``version`` lists."""
    listed = set()
    for op in operations:
        responses = [r for r in op.responses if version in r.versions] or [op.response]
        for response in responses:
            component = schemas.resolve(response.type) if response.collection else None
            if component is not None:
                listed.add(component)
    taken = {name.casefold() for name in schemas.names.values()}
    taken.add(_ERROR_NAME.casefold())
    pages = {}
    for component in sorted(listed):
        pages[component] = page_name(component, taken)
        taken.add(pages[component].casefold())
    return pages


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
    types = sorted(  # each type as this version documents it (base type, flags)
        (t.in_version(version) for t in spec.types if version in t.versions),
        key=lambda t: t.name,
    )
    enums = sorted((e for e in spec.enums if version in e.versions), key=lambda e: e.name)
    schemas = _Schemas(types, enums, version)
    memo = (pieces or RenderPieces()).memo(f"openapi/{version}/layout")
    layout = memo.get("layout", (tuple(operations),), partial(_path_layout, operations, version))
    layout = _widened(layout, operations, version, schemas)
    placed = {p.op.id: p.op for items in layout.values() for p in items}
    schemas.pages = _pages([placed[i] for i in sorted(placed)], version, schemas)
    slots = [(t, p.method) for t in sorted(layout) for p in layout[t]]
    wanted = {(t, p.method): p.operation_id for t in layout for p in layout[t]}
    ids = dict(zip(slots, unique_ids(wanted[s] for s in slots), strict=True))
    return _Sources(
        version,
        operations,
        schemas,
        _components(types, enums, schemas, version),
        layout,
        ids,
        _live_paths(operations, version),
        _path_tags(layout),
        fixtures,
        {},
    )


def _widened(
    layout: dict[str, list[_Placed]],
    operations: list[SpecOperation],
    version: str,
    schemas: _Schemas,
) -> dict[str, list[_Placed]]:
    """Each placed operation answering the nearest type that the other pages documenting
    its request answer too (``widen``); the layout itself where none differs."""
    by_id = {op.id: op for op in operations}
    result: dict[str, list[_Placed]] = {}
    for template, items in layout.items():
        result[template] = [
            p._replace(
                op=widened(p.op, [by_id[i] for i in p.also if i in by_id], version, schemas.by_name)
            )
            if p.also
            else p
            for p in items
        ]
    return result


def _path_tags(layout: dict[str, list[_Placed]]) -> dict[str, str]:
    """Each path's tag; tags equal but for case are one (the first spelling in order), as
    generators and per-tag files would fold them together."""
    wanted = {t: path_tag(t, (p.op.kind for p in placed)) for t, placed in layout.items()}
    spelling: dict[str, str] = {}
    for tag in sorted(set(wanted.values())):
        spelling.setdefault(tag.casefold(), tag)
    return {t: spelling[tag.casefold()] for t, tag in wanted.items()}


def _tags(source: _Sources) -> list[dict[str, str]]:
    found = set(source.tags.values())
    return [{"name": tag, "description": tag_description(tag)} for tag in sorted(found)]


def _shared_parameters(source: _Sources) -> dict[str, Any]:
    """The system query options some operation refers to (not those it copies as required)."""
    used = set()
    for op in source.operations:
        for param in op.query_parameters:
            option = SYSTEM_OPTIONS.get(param.name.strip().casefold())
            if option is not None and source.version in param.versions and not param.required:
                used.add(option[1])
    return {key: value for key, value in system_parameters().items() if key in used}


def _head(version: str, source: _Sources) -> dict[str, Any]:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Microsoft Graph {version} (extracted from docs)",
            "version": version,
            "description": (
                f"Microsoft Graph {version} as its API reference documents it: operations, "
                "types, permissions and examples read from the reference pages."
            ),
        },
        "externalDocs": {
            "description": "Microsoft Graph REST API reference",
            "url": f"https://learn.microsoft.com/graph/api/overview?view=graph-rest-"
            f"{'1.0' if version == 'v1.0' else version}",
        },
        "servers": [{"url": f"https://graph.microsoft.com/{version}"}],
        "tags": _tags(source),
    }


def _extra_components(source: _Sources) -> dict[str, Any]:
    """The components made from no single type: pages of lists and OData's error body."""
    schemas = source.schemas
    extra = {page: _page_component(schemas, component) for component, page in schemas.pages.items()}
    extra.update(error_schemas())
    return extra


def _page_component(schemas: _Schemas, component: str) -> dict[str, Any]:
    schema = page_schema({"$ref": schemas.ref(component)})
    schema["title"] = f"Collection of {component}"
    return schema


def _responses() -> dict[str, Any]:
    """The one error response every operation refers to for 4XX and 5XX."""
    schema = {"$ref": f"#/components/schemas/{_ERROR_NAME}"}
    name = ERROR_RESPONSE["$ref"].rsplit("/", 1)[-1]
    return {name: {"description": "error", "content": {"application/json": {"schema": schema}}}}


def build_openapi(
    spec: UnifiedSpec, version: str, fixtures: list[Fixture] | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one version, as plain data ready for YAML."""
    source = _sources(spec, version, _fixtures_by_version(fixtures)[version])
    schemas = source.schemas
    components = {
        name: _component_schema(component, version, schemas)
        for name, component in source.components.items()
    }
    components.update(_extra_components(source))
    return {
        **_head(version, source),
        "paths": {
            template: _path_item(template, placed, source)
            for template, placed in source.layout.items()
        },
        "components": {
            "schemas": dict(sorted(components.items())),
            "parameters": _shared_parameters(source),
            "responses": _responses(),
            "securitySchemes": security_schemes(source.operations, version),
        },
    }


def dump_yaml(document: dict[str, Any]) -> str:
    """Deterministic YAML text: sorted keys, unicode kept, never folded (see ``yamlout``)."""
    return yamlout.dump(document)


def _names_digest(schemas: _Schemas) -> str:
    """What every schema reference of a version resolves to, in one value."""
    text = "\n".join(f"{key}\t{name}" for key, name in sorted(schemas.names.items()))
    text += "\n\n" + "\n".join(f"{key}\t{name}" for key, name in sorted(schemas.pages.items()))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _mapping(key: str, entries: dict[str, bytes], pad: str) -> list[bytes]:
    """``yamlout``'s lines of ``key:`` over a mapping whose entries are written already."""
    if not entries:
        return [f"{pad}{key}: {{}}\n".encode()]
    return [f"{pad}{key}:\n".encode(), *(entries[k] for k in sorted(entries, key=str))]


def _entry(key: str, value: Any, pad: str, keys: dict[str, str]) -> bytes:
    """One mapping entry's lines, as UTF-8 (a piece is encoded once, when it is made)."""
    return (yamlout.dump_entry(key, value, pad, keys) + "\n").encode()


def _schema_pieces(
    name: str, component: Component, version: str, schemas: _Schemas, keys: dict[str, str]
) -> tuple[bytes, Piece]:
    """A component as the whole document writes it, and as the per-tag documents do."""
    schema = _component_schema(component, version, schemas)
    mock = mock_schema(schema)
    return _entry(name, schema, "    ", keys), Piece(
        _entry(name, mock, "    ", keys), refs_of(mock)
    )


def _path_piece(
    template: str, placed: list[_Placed], source: _Sources, keys: dict[str, str]
) -> Piece:
    item = _path_item(template, placed, source)
    return Piece(_entry(template, item, "  ", keys), refs_of(item), source.tags[template])


class _Body(NamedTuple):
    """One version's document as YAML chunks, and the pieces the per-tag documents take."""

    chunks: list[bytes]
    head: dict[str, Any]
    paths: dict[str, Piece]
    mock: dict[str, Piece]
    components: dict[str, Any]


def _document_body(source: _Sources, pieces: RenderPieces) -> _Body:
    """The document's YAML, from one piece per component and per path item: a piece is
    made again only when something it was made from changed (see ``pieces``)."""
    version, schemas = source.version, source.schemas
    keys: dict[str, str] = {}
    names = _names_digest(schemas)
    memo = pieces.memo(f"openapi/{version}/schemas")
    made = {
        name: memo.get(
            name,
            (names, *component.items, component.descendants, component.keys, component.inherited),
            partial(_schema_pieces, name, component, version, schemas, keys),
        )
        for name, component in source.components.items()
    }
    components = {name: full for name, (full, _) in made.items()}
    mock = {name: piece for name, (_, piece) in made.items()}
    for name, value in _extra_components(source).items():
        components[name] = _entry(name, value, "    ", keys)
        mock[name] = Piece(components[name], refs_of(value))
    memo = pieces.memo(f"openapi/{version}/paths")
    paths = {}
    for template, placed in source.layout.items():
        made_from: tuple[object, ...] = (names, source.tags[template])
        for p in placed:
            fixtures = [f for i in (p.op.id, *(p.also or ())) for f in source.fixtures.get(i, ())]
            made_from += (
                (
                    p.method,
                    p.op,
                    source.ids[(template, p.method)],
                    p.deprecated,
                    p.also,
                    source.live.get(p.op.id, ()),
                    *fixtures,
                ),
            )
        paths[template] = memo.get(
            template, made_from, partial(_path_piece, template, placed, source, keys)
        )
    shared = {
        "parameters": _shared_parameters(source),
        "responses": _responses(),
        "securitySchemes": security_schemes(source.operations, version),
    }
    head = _head(version, source)
    top = {
        "components": [
            b"components:\n",
            _entry("parameters", shared["parameters"], "  ", keys),
            _entry("responses", shared["responses"], "  ", keys),
            *_mapping("schemas", components, "  "),
            _entry("securitySchemes", shared["securitySchemes"], "  ", keys),
        ],
        "paths": _mapping("paths", {t: p.text for t, p in paths.items()}, ""),
        **{key: [_entry(key, value, "", keys)] for key, value in head.items()},
    }
    chunks = [chunk for key in sorted(top) for chunk in top[key]]
    return _Body(chunks, head, paths, mock, shared)


_BODY = "\x00body\x00"


def render_openapi_files(
    spec: UnifiedSpec, fixtures: list[Fixture] | None = None, pieces: RenderPieces | None = None
) -> dict[str, bytes]:
    """{"openapi/v1.0.yaml": ..., "openapi/beta.yaml": ...} as UTF-8, and the per-tag
    documents for mock servers (``pertag``). With ``pieces`` (the last build's), only the
    pieces made from parts the update redid are written again."""
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
            files[f"openapi/{version}.yaml"] = b"".join(
                [head.encode(), *body.chunks, tail.encode()]
            )
            tagged = tag_documents(version, body.head, body.paths, body.mock, body.components)
            for name, text in tagged.items():
                tag = name.rsplit("/", 1)[-1].removesuffix(".yaml")
                frame = template.render(
                    version=version, openapi_version=OPENAPI_VERSION, body=_BODY, tag=tag
                )
                head, tail = frame.split(_BODY)
                files[name] = b"".join([head.encode(), text, tail.encode()])
    return files


def render_openapi(spec: UnifiedSpec, fixtures: list[Fixture] | None = None) -> dict[str, str]:
    """``render_openapi_files`` as text."""
    return {name: text.decode() for name, text in render_openapi_files(spec, fixtures).items()}
