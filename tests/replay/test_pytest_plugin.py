"""The pytest plugin in a fresh project: installed through its ``pytest11`` entry point, it
runs tests against the documented exchanges of a build (the committed ``output/``, built from
``corpus/``), and a failing one names the example's page and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "output" / "fixtures"
EXAMPLE = re.compile(
    r"<!-- pytest-example:start -->\n```python\n(.*?)```\n<!-- pytest-example:end -->", re.DOTALL
)

EXCHANGES = """
import httpx
import pytest
import requests


@pytest.mark.graph_exchange("call.redirect", version="v1.0", name="call-redirect-simuring")
def test_redirect_replays_with_requests(graph_exchange):
    assert requests.post(graph_exchange.url(), json={}).status_code == 202


@pytest.mark.graph_exchange("communications.calls.create", version="v1.0",
                            name="join-scheduled-meeting-service-hosted-media")
def test_create_replays_with_httpx(graph_exchange):
    sent = httpx.post(graph_exchange.url(), json={})
    graph_exchange.check(sent.status_code, sent.json())


@pytest.mark.graph_exchange("call.redirect", version="v1.0", name="call-redirect-simuring")
def test_a_client_that_calls_the_wrong_path(graph_exchange):
    url = graph_exchange.url().replace("/redirect", "/reject")
    requests.post(url, json={})
"""


def project(pytester: pytest.Pytester) -> None:
    if not (FIXTURES / "index.json").is_file():
        pytest.skip("output/ is not built")
    shutil.copytree(FIXTURES, pytester.path / "output" / "fixtures")


def test_the_readme_example_runs_as_written(pytester: pytest.Pytester) -> None:
    project(pytester)
    found = EXAMPLE.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "README.md has no pytest example"
    pytester.makepyfile(test_calls=found.group(1))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_three_documented_exchanges_one_failing_with_its_page_and_line(
    pytester: pytest.Pytester,
) -> None:
    project(pytester)
    pytester.makepyfile(test_exchanges=EXCHANGES)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*CannotOverwriteExistingCassetteException*",
            "*documented at 000_0cb95b7642379844.txt:301 (response at line 344)*",
        ]
    )


def test_a_check_failure_names_the_page_and_line(pytester: pytest.Pytester) -> None:
    project(pytester)
    pytester.makepyfile(
        test_status="""
import pytest, requests

@pytest.mark.graph_exchange("call.redirect", version="v1.0", name="call-redirect-simuring")
def test_expects_ok(graph_exchange):
    sent = requests.post(graph_exchange.url(), json={})
    graph_exchange.check(200)
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*status 200, documented 202 at 000_0cb95b7642379844.txt:344*"])


def test_no_build_is_a_clear_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_none="def test_x(graph_examples):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--graph-fixtures", "nowhere")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no extractor fixtures at*nowhere*"])


def test_an_exchange_that_is_not_documented_is_named(pytester: pytest.Pytester) -> None:
    project(pytester)
    pytester.makepyfile(
        test_missing="""
import pytest

@pytest.mark.graph_exchange("user.get", version="v1.0")
def test_x():
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*0 documented exchanges of user.get*"])


def test_pytest_recording_replays_with_the_matcher(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_recording")
    project(pytester)
    cassette = (
        pytester.path / "output/fixtures/cassettes/beta/call.transfer/call-transfer-request.yaml"
    )
    pytester.makepyfile(
        test_recording=f"""
import pytest, requests

@pytest.mark.vcr({str(cassette)!r}, match_on=["method", "graph_uri"], record_mode="none")
def test_transfer():
    url = "https://graph.microsoft.com/beta/communications/calls/abc-123/transfer"
    assert requests.post(url, json={{}}).status_code == 202
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
