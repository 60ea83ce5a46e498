"""The zh-CN documents in the tools users feed them to: Redocly's linter, openapi-python-client,
Prism; and every documented response example against its schema (slow: real corpus and
real tools; each tool's test skips, saying why, where the tool is not installed)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.reconcile import reconcile
from extractor.render.fixtures import check_strict
from extractor.render.openapi import render_openapi_files
from extractor.render.openapi.unique import name_clashes
from extractor.schema import BuildResult
from tests.render.openapi_checks import Checker, response_examples
from tests.render.openapi_client import parse_examples
from tests.render.openapi_prism import Prism, request_for, tool

REPORT = bool(os.environ.get("EXTRACTOR_REPORT"))


@pytest.fixture(scope="module")
def zh_result(zh_cn_records: list[Any]) -> BuildResult:
    return reconcile(zh_cn_records)


@pytest.fixture(scope="module")
def documents(zh_result: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zh-CN build's OpenAPI files, written once for this module's tests."""
    result = zh_result
    folder = tmp_path_factory.mktemp("openapi")
    for name, text in render_openapi_files(result.spec, result.fixtures).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
    return folder / "openapi"


_LOADED: dict[Path, dict[str, Any]] = {}


def load(path: Path) -> dict[str, Any]:
    """A document as data, parsed once per session (beta's YAML is 37 MB); not changed."""
    if path not in _LOADED:
        _LOADED[path] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return _LOADED[path]


@pytest.mark.slow
def test_no_names_clash_ignoring_case(documents: Path) -> None:
    for version in ("v1.0", "beta"):
        assert name_clashes(load(documents / f"{version}.yaml")) == [], version


@pytest.mark.slow
def test_redocly_recommended_rules_find_no_error(documents: Path) -> None:
    redocly = tool("redocly")
    if redocly is None:
        pytest.skip("node or @redocly/cli is not installed (.ci/run installs it in .tools)")
    for version in ("v1.0", "beta"):
        run = subprocess.run(
            [
                redocly,
                "lint",
                str(documents / f"{version}.yaml"),
                "--format=json",
                "--max-problems",
                "1000000",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "NO_COLOR": "1"},
        )
        report = json.loads(run.stdout)
        rules = Counter(p["ruleId"] for p in report["problems"] if p["severity"] == "error")
        assert report["totals"]["errors"] == 0, (version, rules)
        if REPORT:
            warned = Counter(p["ruleId"] for p in report["problems"])
            print(f"\nredocly {version}: {report['totals']} {dict(warned)}")


@pytest.mark.slow
def test_documented_response_examples_validate(documents: Path, zh_result: BuildResult) -> None:
    """Every documented response example validates against its response schema, except
    those the fixtures' strict check reports as contradicting their page (a member its enum
    table lacks, a placeholder such as ``"String"`` for a Boolean, an object for a String)."""
    checked, _ = check_strict(zh_result.fixtures, zh_result.spec)
    flagged = {fixture.id for fixture in checked if fixture.findings}
    for version in ("v1.0", "beta"):
        document = load(documents / f"{version}.yaml")
        examples = list(response_examples(document))
        checker = Checker(document)
        failing = {e.summary for e in examples if checker.errors(e)}
        shown = {e.summary for e in examples}
        if REPORT:
            print(
                f"\n{version}: {len(shown)} examples, {len(failing)} fail their schema, all "
                f"reported by the strict check; {len(shown & flagged)} have strict findings"
            )
        assert sorted(failing - flagged) == [], version
        assert len(shown) > 1000


def _generate(documents: dict[str, Path], folder: Path) -> dict[str, str]:
    """openapi-python-client's output for each document, generated side by side (one
    process each: the machine has two cores). Its post hooks, ruff over thousands of files,
    are left out: formatting is not what is tested."""
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")
    runs = {}
    for name, document in documents.items():
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(folder / name),
            "--meta",
            "none",
            "--config",
            str(config),
        ]
        log = (folder / f"{name}.log").open("w")
        runs[name] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log)
    outputs = {}
    for name, (process, log) in runs.items():
        code = process.wait(timeout=1800)
        log.close()
        outputs[name] = (folder / f"{name}.log").read_text()
        assert code == 0, outputs[name][-3000:]
    return outputs


@pytest.mark.slow
def test_openapi_python_client_takes_both_documents(documents: Path, tmp_path: Path) -> None:
    """Both documents generate without a dropped operation or schema, the client imports,
    and its parsers read at least 99% of v1.0's documented JSON response examples, each
    sent as the body of a response from an HTTP mock."""
    pytest.importorskip("openapi_python_client", reason="install the test extra")
    started = time.perf_counter()
    versions = {"graph_v1_0": "v1.0", "graph_beta": "beta"}
    logs = _generate({n: documents / f"{v}.yaml" for n, v in versions.items()}, tmp_path)
    seconds = time.perf_counter() - started
    for name, version in versions.items():
        package = tmp_path / name
        assert "Warning" not in logs[name] and "Unable to" not in logs[name], logs[name][:3000]
        document = load(documents / f"{version}.yaml")
        operations = sum(
            1 for item in document["paths"].values() for key in item if key != "parameters"
        )
        endpoints = list((package / "api").glob("*/*.py"))
        assert len([e for e in endpoints if e.name != "__init__.py"]) == operations
        models = {p.stem for p in (package / "models").glob("*.py")}
        assert len(models) >= len(document["components"]["schemas"])
        sys.path.insert(0, str(tmp_path))
        try:  # the client imports: its package, every model, its client class
            importlib.import_module(f"{package.name}.models")
            assert importlib.import_module(f"{package.name}.client").AuthenticatedClient
        finally:
            sys.path.remove(str(tmp_path))
        if version != "v1.0":
            continue
        examples = {e.name: e for e in response_examples(document)}
        parsed, failed, missing = parse_examples(package, examples.values())
        if REPORT:
            print(
                f"\nopenapi-python-client: both generated in {seconds:.0f} s; v1.0: "
                f"{parsed}/{len(examples)} parsed; failed {failed}; missing {missing}"
            )
        assert missing == []
        assert parsed >= 0.99 * len(examples), failed


def _chosen(
    document: dict[str, Any], count: int
) -> list[tuple[str, str, dict[str, Any], str, str]]:
    """``count`` GET operations with a documented example, spread over areas (a tag's first
    segment: ``users``, ``communications``...): one per area where there are enough."""
    by_area: dict[str, list[tuple[str, str, dict[str, Any], str, str]]] = {}
    seen_tags: set[str] = set()
    for template in sorted(document["paths"]):
        operation = document["paths"][template].get("get")
        if not operation or "(" in template or ":" in template:
            continue
        tag = operation["tags"][0]
        for status in sorted(operation["responses"]):
            media = operation["responses"][status].get("content", {}).get("application/json", {})
            if status.startswith("2") and media.get("examples") and tag not in seen_tags:
                seen_tags.add(tag)
                example = sorted(media["examples"])[0]
                by_area.setdefault(tag.split(".")[0], []).append(
                    (tag, template, operation, status, example)
                )
                break
    areas = sorted(by_area)
    if len(areas) >= count:  # one per area, spread over the whole alphabet of areas
        return [by_area[areas[i * len(areas) // count]][0] for i in range(count)]
    chosen = []
    while len(chosen) < count and any(by_area.values()):
        for area in areas:
            if by_area[area] and len(chosen) < count:
                chosen.append(by_area[area].pop(0))
    return chosen


@pytest.mark.slow
def test_prism_serves_the_documented_examples(documents: Path, tmp_path: Path) -> None:
    """Prism serves v1.0's per-tag documents on loopback, each starting within 2 minutes,
    and returns the documented example for 20 operations across areas."""
    prism = tool("prism")
    if prism is None:
        pytest.skip("node or @stoplight/prism-cli is not installed (.ci/run installs it in .tools)")
    document = load(documents / "v1.0.yaml")
    chosen = _chosen(document, 20)
    assert len({tag.split(".")[0] for tag, *_ in chosen}) >= 10
    served, starts = 0, []
    for tag, template, operation, status, example in chosen:
        expected = operation["responses"][status]["content"]["application/json"]["examples"][
            example
        ]["value"]
        with Prism(prism, documents / "v1.0" / f"{tag}.yaml", tmp_path / f"{tag}.log") as mock:
            starts.append(mock.seconds)
            path, headers = request_for(template, operation, status, example)
            code, body = mock.get(path, headers)
        assert (code, json.loads(body)) == (int(status), expected), (tag, template, body[:500])
        served += 1
    if REPORT:
        print(f"\nprism: {served} operations served; start {min(starts):.1f}-{max(starts):.1f} s")
    assert served == 20


def test_tool_helpers_find_nothing_without_node(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert tool("prism") is None
