"""The fixtures of the zh-CN build as a test suite meets them: the strict findings (by rule,
each at its page line), every cassette replayed with requests and httpx through the shipped
matcher, and v1.0 bodies without findings loading into the models and dumping back equal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.replay import concrete_url, register
from extractor.rules import rule
from tests.conftest import ZH_CN, need_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zh_cn_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``extractor build`` of zh-CN, as a user runs it."""
    need_corpus()
    where = tmp_path_factory.mktemp("zh-build")
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "build", str(ZH_CN.parent), "-o", "out", "--no-cache"],
        cwd=where,
        env={**os.environ, "XDG_CACHE_HOME": str(where / ".cache")},
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    print(done.stderr)
    return where / "out"


def _index(build: Path) -> list[dict[str, Any]]:
    return json.loads((build / "fixtures" / "index.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_strict_findings_by_rule_each_at_its_page_line(zh_cn_build: Path) -> None:
    index = _index(zh_cn_build)
    by_rule = Counter(f["rule"] for entry in index for f in entry["findings"])
    with_findings = sum(1 for entry in index if entry["findings"])
    print(f"{with_findings} of {len(index)} fixtures with findings:", dict(sorted(by_rule.items())))
    assert 1000 < with_findings < 6000
    assert "example-unchecked" not in by_rule
    lines: dict[str, list[str]] = {}
    placed = misplaced = 0
    for entry in index:
        for finding in entry["findings"]:
            assert finding["severity"] in rule(finding["rule"]).severities
            key = finding["path"].rsplit(".", 1)[-1]
            if finding["rule"] != "example-undocumented-property" or "[" in key:
                continue
            page = ZH_CN.parent / entry["sourcePath"]
            text = lines.setdefault(entry["sourcePath"], page.read_text("utf-8").splitlines())
            if f'"{key}"' in text[finding["line"] - 1]:
                placed += 1
            else:
                misplaced += 1
    print(f"undocumented keys on the line named: {placed}, elsewhere: {misplaced}")
    assert misplaced <= placed // 50


def test_every_cassette_replays_with_requests_and_httpx(zh_cn_build: Path) -> None:
    httpx = pytest.importorskip("httpx")
    requests = pytest.importorskip("requests")
    vcr = pytest.importorskip("vcr")
    fixtures = zh_cn_build / "fixtures"
    played = register(vcr.VCR(record_mode="none"))
    session = requests.Session()
    following, staying = httpx.Client(follow_redirects=True), httpx.Client()
    replayed: Counter[str] = Counter()
    failed: list[str] = []
    load = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for entry in _index(zh_cn_build):
        if entry["cassette"] is None:
            continue
        cassette = fixtures / entry["cassette"]
        interactions = yaml.load(cassette.read_text("utf-8"), Loader=load)["interactions"]
        follow = entry["redirect"] != "unrecorded"
        expected = interactions[-1 if follow else 0]["response"]
        want = (expected["status"]["code"], expected["body"]["string"].encode("utf-8"))
        body = interactions[0]["request"]["body"]
        content = body.encode("utf-8") if body is not None else None
        url, method = concrete_url(entry["uri"]), entry["method"] or "GET"
        assert "{" not in url and "%7B" not in url.upper()
        with played.use_cassette(str(cassette), allow_playback_repeats=True):
            for client in ("requests", "httpx"):
                try:
                    if client == "requests":
                        response = session.request(
                            method, url, data=content, allow_redirects=follow
                        )
                    else:
                        response = (following if follow else staying).request(
                            method, url, content=content
                        )
                    got = (response.status_code, response.content)
                except Exception as error:  # a replay that raises is a failure to count
                    got = (0, f"{type(error).__name__}: {error}".encode())
                if got == want:
                    replayed[client] += 1
                else:
                    failed.append(f"{client} {entry['id']} {url}: {got[0]} {got[1][:200]!r}")
        if entry["redirect"]:
            replayed[f"redirect {entry['redirect']}"] += 1
    cassettes = sum(1 for entry in _index(zh_cn_build) if entry["cassette"])
    print(f"{cassettes} cassettes; replayed: {dict(replayed)}; failed: {len(failed)}")
    assert not failed, "\n".join(failed[:20])
    assert replayed["requests"] == replayed["httpx"] == cassettes > 5000


def test_v1_fixtures_without_findings_load_and_dump_back_equal(zh_cn_build: Path) -> None:
    sys.path.insert(0, str(zh_cn_build))
    try:
        import models.v1_0 as v1  # the build's own generated package
    finally:
        sys.path.remove(str(zh_cn_build))
    fixtures = zh_cn_build / "fixtures"
    counts: Counter[str] = Counter()
    differs: list[str] = []
    for entry in _index(zh_cn_build):
        if entry["version"] != "v1.0" or entry["findings"] or entry["valid"] is None:
            continue
        counts["without findings"] += 1
        assert entry["valid"], entry["id"]
        body = json.loads((fixtures / entry["file"]).read_text("utf-8"))["body"]
        if entry["role"] == "request" and entry["operation"] in v1.OPERATION_REQUEST_INDEX:
            model = v1.OPERATION_REQUEST_INDEX[entry["operation"]]
        else:
            model = v1.TYPE_INDEX.get(entry["type"] or "") or v1.TYPE_INDEX[body["@odata.type"]]
        items = body["value"] if entry["collection"] and isinstance(body, dict) else body
        for item in items if entry["collection"] else [body]:
            loaded = v1.model_for(model, item).model_validate(item)
            if loaded.model_dump(mode="json", exclude_unset=True) != item:
                differs.append(entry["id"])
    print(dict(counts), f"{len(differs)} differ")
    assert counts["without findings"] > 1000
    assert not differs, differs[:10]


def test_index_paths_and_one_request_per_fixture_and_cassette(zh_cn_build: Path) -> None:
    fixtures = zh_cn_build / "fixtures"
    index = _index(zh_cn_build)
    for entry in index[:: max(1, len(index) // 2000)]:
        assert (fixtures / entry["file"]).is_file()
        assert not entry["sourcePath"].startswith("/")
        assert (ZH_CN.parent / entry["sourcePath"]).is_file()
        if entry["cassette"]:
            document = json.loads((fixtures / entry["file"]).read_text("utf-8"))
            cassette = yaml.safe_load((fixtures / entry["cassette"]).read_text("utf-8"))
            assert document["uri"] == cassette["interactions"][0]["request"]["uri"] == entry["uri"]
