"""Fixtures: validate every example against the generated models, and render them as files.

``validate_fixtures`` loads each JSON body into its generated model. The build checks with
``check_planned``: the validators pydantic would build for the generated classes, made from
their plan (``modelcheck``), without writing and importing the files. ``check_fixtures``
imports the generated packages themselves (through a temporary directory, under a package
name of its own, removed afterwards); the tests hold the two to the same verdicts.

``render_fixtures`` writes one JSON file per fixture, an index, and a vcrpy cassette per
documented request/response pair, so a test suite can replay the documentation's examples
with vcrpy or pytest-recording.

Which model applies to a body:

- non-JSON bodies, bodies of JSON representations (``role == "resource"``: their values are
  placeholders such as ``"Int32"``) and bodies of a type without a generated model: none
  (``valid`` stays ``None``);
- a request body of an operation with a request-body model: ``OPERATION_REQUEST_INDEX``;
- otherwise the fixture's type from ``TYPE_INDEX``, or the more derived type its
  ``@odata.type`` names; a collection (``{"value": [...]}`` or a list) validates each item.

The models of the fixture's version are used; a fixture without a version tries v1.0 first.
"""

from __future__ import annotations

import http
import importlib
import itertools
import json
import os
import re
import sys
import tempfile
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from extractor.render.jsonout import pretty_json_bytes
from extractor.render.models import PackagePlan, PlannedPackage, is_primitive, module_for
from extractor.reuse import Entry, PieceMemo, ResultStore, diagnostics_of
from extractor.schema import Diagnostic, Fixture

__all__ = [
    "cassette_uri",
    "check_fixtures",
    "render_fixture_files",
    "render_fixtures",
    "validate_fixtures",
    "validation_summary",
]

GRAPH_HOST = "https://graph.microsoft.com"
#: Versions tried, in order, for a fixture whose page has no version.
FALLBACK_VERSIONS: tuple[str, ...] = ("v1.0", "beta")
MAX_REASONS = 3
#: Characters ``requests`` leaves unquoted in a URL (``requests.utils.requote_uri``).
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"
_UNSAFE_PATH_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
#: Characters YAML reads as line breaks or refuses as unprintable, even in a quoted scalar.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "none", "list", "dict"})
_counter = itertools.count(1)


# --- validation -------------------------------------------------------------------------------


@contextmanager
def _imported_models(models_files: dict[str, str]) -> Iterator[str | None]:
    """Write the models to a temporary package, yield its import name, then remove every trace."""
    package = f"_extractor_models_{os.getpid()}_{next(_counter)}"
    with tempfile.TemporaryDirectory(prefix="extractor-models-") as tmp:
        root = Path(tmp)
        written = False
        for relative, text in models_files.items():
            parts = Path(relative).parts
            if len(parts) < 2 or parts[0] != "models" or ".." in parts:
                continue
            target = root / package / Path(*parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written = True
        if not written:
            yield None
            return
        (root / package / "__init__.py").touch(exist_ok=True)
        sys.path.insert(0, tmp)
        importlib.invalidate_caches()
        try:
            yield package
        finally:
            if tmp in sys.path:
                sys.path.remove(tmp)
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]
            importlib.invalidate_caches()


class _Packages:
    """The version packages of one import, loaded on first use; import failures remembered."""

    def __init__(self, package: str, available: set[str]) -> None:
        self.package = package
        self.available = available
        self.loaded: dict[str, Any] = {}  # a module, or what stands for one
        self.failures: dict[str, str] = {}  # file → why it did not import
        self.type_indexes: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.request_indexes: dict[str, dict[str, Any]] = {}

    def get(self, version_package: str) -> Any:
        if version_package not in self.available:
            return None
        if version_package not in self.loaded:
            try:
                module = importlib.import_module(f"{self.package}.{version_package}")
            except Exception as error:  # generated code must never crash the build
                module = None
                path = f"models/{version_package}/__init__.py"
                self.failures[path] = f"{type(error).__name__}: {error}"
            self.loaded[version_package] = module
        return self.loaded[version_package]

    def requests(self, module: Any) -> dict[str, Any]:
        """``OPERATION_REQUEST_INDEX``, whose first use imports the ``operations`` module."""
        if module.__name__ not in self.request_indexes:
            try:
                index = getattr(module, "OPERATION_REQUEST_INDEX", {})
            except Exception as error:  # generated code must never crash the build
                index = {}
                path = f"models/{module.__name__.rsplit('.', 1)[-1]}/operations.py"
                self.failures[path] = f"{type(error).__name__}: {error}"
            self.request_indexes[module.__name__] = index
        return self.request_indexes[module.__name__]

    def types(self, module: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """``TYPE_INDEX`` and the same keyed by lower-cased name (names unique that way only)."""
        if module.__name__ not in self.type_indexes:
            index = getattr(module, "TYPE_INDEX", {})
            counts = Counter(name.lower() for name in index)
            lowered = {n.lower(): m for n, m in index.items() if counts[n.lower()] == 1}
            self.type_indexes[module.__name__] = (index, lowered)
        return self.type_indexes[module.__name__]


class _PlannedPackages(_Packages):
    """The version packages as their plans describe them: nothing written or imported."""

    def __init__(self, plans: dict[str, PackagePlan]) -> None:
        super().__init__("", set(plans))
        self.plans = plans

    def get(self, version_package: str) -> Any:
        if version_package not in self.loaded and version_package in self.plans:
            try:
                package = PlannedPackage(version_package, self.plans[version_package])
            except Exception as error:  # an inconsistent plan must never crash the build
                package = None
                path = f"models/{version_package}/__init__.py"
                self.failures[path] = f"{type(error).__name__}: {error}"
            self.loaded[version_package] = package
        return self.loaded.get(version_package)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_union_tag(part: Any) -> bool:
    """Whether a location part names a union member (``str``, ``str-enum[CallState]``)."""
    return isinstance(part, str) and (part in _UNION_TAGS or "[" in part)


def _reasons(errors: list[dict[str, Any]], prefix: tuple[Any, ...] = ()) -> list[str]:
    """``location: message (got value)`` per error; a union's members give one reason."""
    reasons = []
    seen: set[str] = set()
    for error in errors:
        parts = [part for part in error.get("loc", ()) if not _is_union_tag(part)]
        location = ".".join(str(part) for part in (*prefix, *parts))
        if location in seen:
            continue
        seen.add(location)
        message = error.get("msg", "invalid")
        if "input" in error and not isinstance(error["input"], dict | list):
            message += f" (got {_short(error['input'])})"
        reasons.append(f"{location}: {message}" if location else message)
    return reasons


def _odata_type(body: Any) -> str | None:
    if isinstance(body, dict):
        value = body.get("@odata.type")
        if isinstance(value, str) and value.strip().lstrip("#"):
            return value.strip().lstrip("#")
    return None


def _items(fixture: Fixture) -> list[tuple[tuple[Any, ...], Any]]:
    """The objects to validate, with the location prefix of each."""
    body = fixture.body
    if fixture.collection:
        if isinstance(body, dict) and isinstance(body.get("value"), list):
            return [(("value", i), item) for i, item in enumerate(body["value"])]
        if isinstance(body, list):
            return [((i,), item) for i, item in enumerate(body)]
    return [((), body)]


def _lookup(index: dict[str, Any], lowered: dict[str, Any], name: str | None) -> Any:
    """``index[name]``, else the entry equal to ``name`` ignoring case (the docs mix cases)."""
    if not name or is_primitive(name):
        return None
    found = index.get(name)
    return found if found is not None else lowered.get(name.lower())


def _choose(fixture: Fixture, packages: _Packages) -> tuple[Any, Any, str] | None:
    """The version package, the model class and its name (for messages) of a fixture."""
    if fixture.body_kind != "json" or fixture.role == "resource":
        return None
    if not isinstance(fixture.body, dict | list):
        return None
    versions = [fixture.version] if fixture.version else list(FALLBACK_VERSIONS)
    for version in versions:
        module = packages.get(module_for(version))
        if module is None:
            continue
        if fixture.role == "request" and fixture.operation:
            requests = packages.requests(module)
            if fixture.operation in requests:
                label = f"request body of {fixture.operation}"
                return module, requests[fixture.operation], label
        types, lowered = packages.types(module)
        for name in (fixture.type, None if fixture.collection else _odata_type(fixture.body)):
            model = _lookup(types, lowered, name)
            if model is not None:
                return module, model, f"{name} ({version})"
    return None


def _validate(fixture: Fixture, module: Any, model: Any) -> list[str]:
    """Reasons the body does not load into ``model``; empty when it does."""
    from pydantic import ValidationError

    reasons: list[str] = []
    model_for = getattr(module, "model_for", None)
    for prefix, item in _items(fixture):
        target = model_for(model, item) if model_for is not None else model
        try:
            target.model_validate(item)
        except ValidationError as error:
            reasons.extend(_reasons(error.errors(include_url=False), prefix))
        if len(reasons) >= MAX_REASONS:
            break
    return reasons


def _check(fixture: Fixture, packages: _Packages | None) -> Entry:
    """Whether one fixture loads into its model (None when no model applies), and why not."""
    chosen = _choose(fixture, packages) if packages is not None else None
    if chosen is None:
        return None, []
    module, model, label = chosen
    try:
        reasons = _validate(fixture, module, model)
    except Exception as error:  # a model that cannot build is not the page's fault
        message = (
            f"{fixture.id}: {label} could not be used: "
            f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        )
        return None, [("fixture-unvalidated", "info", message)]
    if not reasons:
        return True, []
    shown = "; ".join(reasons[:MAX_REASONS])
    more = len(reasons) - MAX_REASONS
    message = f"{fixture.id} does not load into the model of {label}: {shown}" + (
        f"; and {more} more" if more > 0 else ""
    )
    return False, [("fixture-invalid", "warning", message)]


#: Validates some fixtures: one entry per fixture, and the models' import failures.
Checker = Callable[[list[Fixture]], tuple[list[Entry], list[Diagnostic]]]
#: A fixture with its validity filled in, and the diagnostics of its check.
_Validated = tuple[Fixture, list[Diagnostic]]


def check_fixtures(
    fixtures: list[Fixture], models_files: dict[str, str]
) -> tuple[list[Entry], list[Diagnostic]]:
    """Load the fixtures into the generated models, imported only if there is any fixture."""
    if not fixtures:
        return [], []
    available = {
        Path(p).parts[1]
        for p in models_files
        if len(Path(p).parts) >= 3 and Path(p).parts[0] == "models"
    }
    with _imported_models(models_files) as package:
        return _entries(fixtures, _Packages(package, available) if package else None)


def check_planned(
    fixtures: list[Fixture], plans: dict[str, PackagePlan]
) -> tuple[list[Entry], list[Diagnostic]]:
    """``check_fixtures`` with the validators the packages' plans describe (``modelcheck``):
    the same verdicts and reasons, without writing and importing the generated code."""
    return _entries(fixtures, _PlannedPackages(plans) if fixtures else None)


def _entries(
    fixtures: list[Fixture], packages: _Packages | None
) -> tuple[list[Entry], list[Diagnostic]]:
    entries = [_check(fixture, packages) for fixture in fixtures]
    failures = sorted(packages.failures.items()) if packages is not None else []
    return entries, [
        Diagnostic(
            rule="models-import-failed",
            severity="error",
            path=path,
            message=f"the generated models do not import: {failure[:300]}",
        )
        for path, failure in failures
    ]


def validate_fixtures(
    fixtures: list[Fixture],
    models_files: dict[str, str],
    memo: ResultStore | None = None,
    check: Checker | None = None,
    pieces: PieceMemo | None = None,
) -> tuple[list[Fixture], list[Diagnostic]]:
    """Load each fixture whose type (or operation request model) is known into its model.

    ``valid`` becomes True or False, or None when no model applies; each failure is a
    ``fixture-invalid`` warning at the fixture's source line, with pydantic's first reasons.
    Nothing is written to the output directory. With a ``memo``, the results of an earlier
    build with the same model shape are reused, and the models are imported only when some
    fixture is new to it; with ``pieces``, a fixture that is the very object of the last
    build, checked against models of the same shape, is not even hashed. ``check``
    validates the others (by default ``check_fixtures``; the renderer passes one that shares
    the work between processes).
    """
    shape = memo.shape if memo is not None else ""
    kept = pieces or PieceMemo()
    found: list[_Validated | None] = [kept.find(f.id, (f, shape)) for f in fixtures]
    diagnostics: list[Diagnostic] = []
    missing = [i for i, validated in enumerate(found) if validated is None]
    if missing:
        remembered = memo.load() if memo is not None else {}
        keys = {i: memo.key(fixtures[i]) for i in missing} if memo is not None else {}
        todo = [fixtures[i] for i in missing if keys.get(i) not in remembered]
        checker = check or (lambda chosen: check_fixtures(chosen, models_files))
        checked, diagnostics = checker(todo)
        fresh = iter(checked)
        for i in missing:
            fixture, key = fixtures[i], keys.get(i)
            entry = remembered[key] if key in remembered else next(fresh)
            if key is not None:
                remembered[key] = entry
            valid = fixture.model_copy(update={"valid": entry[0]})
            found[i] = (valid, diagnostics_of(entry, fixture))
        # nothing new to remember when every result was remembered (an edit to prose);
        # results of models that do not import are not worth keeping
        failed = any(d.rule == "models-import-failed" for d in diagnostics)
        if memo is not None and todo and not failed:
            memo.save(remembered)
    result: list[Fixture] = []
    for fixture, validated in zip(fixtures, found, strict=True):
        assert validated is not None
        kept.keep(fixture.id, (fixture, shape), validated)
        result.append(validated[0])
        diagnostics.extend(validated[1])
    return result, diagnostics


def validation_summary(fixtures: list[Fixture]) -> str:
    """One line for the build log: how many fixtures with a model validate."""
    checked = [f for f in fixtures if f.valid is not None]
    valid = sum(1 for f in checked if f.valid)
    without = len(fixtures) - len(checked)
    rate = f" ({100 * valid / len(checked):.1f}%)" if checked else ""
    counts = f"{valid}/{len(checked)} with a model validate{rate}"
    return f"fixtures: {counts}; {without} without a model"


# --- rendering --------------------------------------------------------------------------------


def _dump_json(value: Any) -> bytes:
    return pretty_json_bytes(value)


def fixture_path(fixture_id: str) -> str:
    """``fixtures/<id>.json`` with every segment made safe (no ``..``, no odd characters)."""
    segments = []
    for segment in fixture_id.split("/"):
        safe = _UNSAFE_PATH_CHARS.sub("_", segment).strip(".")
        if safe:
            segments.append(safe)
    if not segments:
        segments = ["fixture"]
    if (len(segments) == 1 and segments[0] == "index") or (
        len(segments) > 1 and segments[0] == "cassettes"
    ):
        segments[0] += "_"  # keep clear of fixtures/index.json and fixtures/cassettes/
    return "fixtures/" + "/".join(segments) + ".json"


def _paths(fixtures: Iterable[Fixture]) -> dict[str, str]:
    """Each fixture id's file, unique even on case-insensitive file systems."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    counters: dict[str, int] = {}
    for fixture in sorted(fixtures, key=lambda f: f.id):
        if fixture.id in paths:
            continue
        base = fixture_path(fixture.id)[: -len(".json")]
        path = base + ".json"
        if path.casefold() in taken:
            n = counters.get(base.casefold(), 2)
            while f"{base}-{n}.json".casefold() in taken:
                n += 1
            counters[base.casefold()] = n + 1
            path = f"{base}-{n}.json"
        taken.add(path.casefold())
        paths[fixture.id] = path
    return paths


def _body(fixture: Fixture) -> Any:
    if fixture.body_kind == "json":
        return fixture.body
    if fixture.body_kind == "empty":
        return None
    if fixture.raw_body is not None:
        return fixture.raw_body
    return fixture.body


def _fixture_document(fixture: Fixture) -> dict[str, Any]:
    return {
        "id": fixture.id,
        "page": fixture.page,
        "version": fixture.version,
        "locale": fixture.locale,
        "role": fixture.role,
        "operation": fixture.operation,
        "type": fixture.type,
        "collection": fixture.collection,
        "method": fixture.method,
        "url": fixture.url,
        "headers": [[name, value] for name, value in fixture.headers],
        "status": fixture.status,
        "body": _body(fixture),
        "bodyKind": fixture.body_kind,
        "sourcePath": fixture.source_path,
        "line": fixture.line,
        "repaired": fixture.repaired,
        "repairs": [repair.model_dump(mode="json", by_alias=True) for repair in fixture.repairs],
        "truncated": fixture.truncated,
        "annotation": fixture.annotation,
        "pair": fixture.pair,
        "valid": fixture.valid,
    }


def cassette_uri(url: str | None, version: str | None) -> str:
    """An absolute URI as an HTTP client sends it: Graph paths get the Graph host and version.

    Spaces, braces and other characters ``requests`` would quote are percent-encoded, so a
    replayed request matches the recorded one.
    """
    url = (url or "").strip()
    if not re.match(r"(?i)https?://", url):
        path = url if url.startswith("/") else "/" + url
        if not re.match(r"/(v1\.0|beta)(/|$|\?)", path):
            path = f"/{version or FALLBACK_VERSIONS[0]}{path}"
        url = GRAPH_HOST + path
    return urllib.parse.quote(urllib.parse.unquote(url), safe=_URI_SAFE)


def _headers(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in pairs:
        headers.setdefault(name.strip(), []).append(value.strip())
    return headers


def _wire_body(fixture: Fixture) -> str | None:
    if fixture.body_kind == "json" and fixture.body is not None:
        try:
            return json.dumps(fixture.body, ensure_ascii=False)
        except (RecursionError, ValueError, TypeError):  # nested too deep to write back
            return fixture.raw_body
    if fixture.body_kind == "empty":
        return None
    return fixture.raw_body if fixture.raw_body is not None else None


def _with_content_type(fixture: Fixture, headers: dict[str, list[str]]) -> dict[str, list[str]]:
    if fixture.body_kind == "json" and not any(k.lower() == "content-type" for k in headers):
        headers = {**headers, "Content-Type": ["application/json"]}
    return headers


def _yaml_scalar(value: str | int | None) -> str:
    """A YAML scalar: JSON's double-quoted string is YAML too, once the characters YAML reads
    as line breaks or refuses as unprintable are escaped."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _yaml_headers(headers: dict[str, list[str]], indent: str) -> list[str]:
    if not headers:
        return [f"{indent}headers: {{}}"]
    lines = [f"{indent}headers:"]
    for name in sorted(headers):
        lines.append(f"{indent}  {_yaml_scalar(name)}:")
        lines.extend(f"{indent}  - {_yaml_scalar(value)}" for value in headers[name])
    return lines


def _cassette(request: Fixture, response: Fixture) -> str:
    """A vcrpy cassette (version 1) of one interaction.

    Written by hand rather than with ``yaml.safe_dump``: PyYAML's pure-Python emitter took 16 of
    the 20 seconds that rendering the corpus's 20,000 fixtures took, and its C emitter is not
    installed everywhere (nor promised to write the same bytes).
    """
    status = response.status or 200
    try:
        message = http.HTTPStatus(status).phrase
    except ValueError:
        message = ""
    lines = [
        "interactions:",
        "- request:",
        f"    body: {_yaml_scalar(_wire_body(request))}",
        *_yaml_headers(_with_content_type(request, _headers(request.headers)), "    "),
        f"    method: {_yaml_scalar((request.method or 'GET').upper())}",
        f"    uri: {_yaml_scalar(cassette_uri(request.url, request.version))}",
        "  response:",
        "    body:",
        f"      string: {_yaml_scalar(_wire_body(response) or '')}",
        *_yaml_headers(_with_content_type(response, _headers(response.headers)), "    "),
        "    status:",
        f"      code: {status}",
        f"      message: {_yaml_scalar(message)}",
        "version: 1",
    ]
    return "\n".join(lines) + "\n"


def render_fixtures(fixtures: list[Fixture]) -> dict[str, str]:
    """``fixtures/<id>.json`` per fixture, ``fixtures/index.json`` and vcrpy cassettes.

    A cassette, ``fixtures/cassettes/<request id>.yaml``, is written for every request fixture
    paired with a response fixture.
    """
    return {path: text.decode() for path, text in render_fixture_files(fixtures).items()}


def render_fixture_files(
    fixtures: list[Fixture],
    pieces: PieceMemo | None = None,
    emit: Callable[[Mapping[str, bytes]], None] | None = None,
) -> dict[str, bytes]:
    """``render_fixtures``'s files as UTF-8. With ``pieces``, a fixture that is the very
    object of the last build (validated: see ``validate_fixtures``), with the same partner
    and file, keeps its files and index entry. With ``emit``, the files also go there every
    few thousand fixtures as they are made (to a writer that puts them on disk meanwhile),
    then the index."""
    memo = pieces or PieceMemo()
    by_id = {fixture.id: fixture for fixture in fixtures}
    ids = tuple(sorted(by_id))
    paths: dict[str, str] = memo.get(("paths",), (ids,), partial(_paths, by_id.values()))
    files: dict[str, bytes] = {}
    index: list[bytes] = []
    batch: dict[str, bytes] = {}
    for fixture_id in ids:
        fixture = by_id[fixture_id]
        path = paths[fixture_id]
        partner = by_id.get(fixture.pair) if fixture.pair else None
        made = partial(_fixture_files, fixture, partner, path)
        document, cassette, entry = memo.get(fixture.id, (fixture, partner, path), made)
        batch[path] = document
        if cassette is not None:
            batch[_cassette_path(path)] = cassette
        index.append(entry)
        if len(batch) >= _EMIT_EVERY:
            files.update(batch)
            if emit is not None:
                emit(batch)
            batch = {}
    batch["fixtures/index.json"] = (
        b"[\n" + b",\n".join(index) + b"\n]\n" if index else _dump_json([])
    )
    files.update(batch)
    if emit is not None:
        emit(batch)
    return dict(sorted(files.items()))


#: How many files ``render_fixture_files`` hands over at a time.
_EMIT_EVERY = 4096


def _cassette_path(path: str) -> str:
    return "fixtures/cassettes/" + path[len("fixtures/") : -len(".json")] + ".yaml"


def _fixture_files(
    fixture: Fixture, partner: Fixture | None, path: str
) -> tuple[bytes, bytes | None, bytes]:
    """A fixture's file, its cassette (or None) and its entry in the index, indented there."""
    document = _fixture_document(fixture)
    try:
        text = _dump_json(document)
    except (RecursionError, ValueError, TypeError):  # nested too deep: keep the text
        text = _dump_json({**document, "body": fixture.raw_body})
    cassette = None
    if fixture.role == "request" and partner is not None and partner.role == "response":
        cassette = _cassette(fixture, partner).encode()
    entry = {
        "id": fixture.id,
        "file": path,
        "page": fixture.page,
        "version": fixture.version,
        "role": fixture.role,
        "type": fixture.type,
        "valid": fixture.valid,
        "collection": fixture.collection,
        "operation": fixture.operation,
        "locale": fixture.locale,
        "method": fixture.method,
        "status": fixture.status,
        "bodyKind": fixture.body_kind,
        "repaired": fixture.repaired,
        "truncated": fixture.truncated,
        "sourcePath": fixture.source_path,
        "line": fixture.line,
        "pair": fixture.pair,
        "cassette": _cassette_path(path) if cassette is not None else None,
    }
    indented = b"  " + _dump_json(entry)[:-1].replace(b"\n", b"\n  ")
    return text, cassette, indented
