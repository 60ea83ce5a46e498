"""pytest plugin of extractor (entry point ``pytest11``): the documentation's examples as
test fixtures, replayed with vcrpy.

- ``graph_examples``: the build's ``fixtures/`` (``extractor.replay.Examples``): ``find`` and
  ``one`` look examples up by operation id, version, status and name.
- ``@pytest.mark.graph_exchange("user.get", version="v1.0", status=200, name=...)`` with the
  ``graph_exchange`` fixture: the operation's documented exchange (``Exchange``) is replayed
  for the test's HTTP calls (``requests``, ``httpx``, any client vcrpy patches), its
  placeholders (``{id}``) matching any id; ``exchange.url(id=...)`` gives a concrete URL and
  ``exchange.check(status, body)`` compares a response with the documented one.
- a failing test that uses an exchange names the example's page and line in its report.
- with pytest-recording, the ``graph_uri`` matcher is registered on its VCR, so that
  ``@pytest.mark.vcr(match_on=["method", "graph_uri"])`` replays the docs' cassettes too.

Where the fixtures are: ``--graph-fixtures DIR``, else the ``graph_fixtures`` ini option,
else ``output/fixtures`` below the rootdir.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.replay import Examples, Exchange, graph_uri

_WHERE = pytest.StashKey[str]()
MARKER = "graph_exchange"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("extractor", "the documentation's examples (extractor)")
    group.addoption(
        "--graph-fixtures",
        dest="graph_fixtures",
        default=None,
        metavar="DIR",
        help="the fixtures/ folder of an extractor build (default: output/fixtures)",
    )
    parser.addini("graph_fixtures", "the fixtures/ folder of an extractor build", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(operation, version=None, status=None, name=None): replay the operation's "
        "documented request and response (extractor)",
    )


def _fixtures_dir(config: pytest.Config) -> Path:
    given = config.getoption("graph_fixtures") or config.getini("graph_fixtures")
    path = Path(given or "output/fixtures")
    return path if path.is_absolute() else config.rootpath / path


@pytest.fixture(scope="session")
def graph_examples(pytestconfig: pytest.Config) -> Examples:
    """Every example of the build, looked up by operation id, version, status and name."""
    root = _fixtures_dir(pytestconfig)
    if not (root / "index.json").is_file():
        pytest.fail(f"no extractor fixtures at {root} (run `extractor build`, or --graph-fixtures)")
    return Examples(root)


@pytest.fixture
def graph_exchange(request: pytest.FixtureRequest, graph_examples: Examples) -> Iterator[Exchange]:
    """The exchange ``@pytest.mark.graph_exchange(...)`` names, replayed during the test."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        pytest.fail(f"graph_exchange needs @pytest.mark.{MARKER}(operation, ...)")
    try:
        exchange = graph_examples.exchange(*marker.args, **marker.kwargs)
    except LookupError as error:
        pytest.fail(str(error))
    request.node.stash[_WHERE] = exchange.where
    with exchange.replay():
        yield exchange


@pytest.fixture(autouse=True)
def _graph_exchange_marker(request: pytest.FixtureRequest) -> None:
    """The marker alone replays the exchange, even when the test does not ask for it."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("graph_exchange")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test that replays an exchange names the example's page and line."""
    report = yield
    where = item.stash.get(_WHERE, None)
    if where is not None and report.failed:
        report.sections.append(("documented exchange", f"documented at {where}"))
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """pytest-recording: make ``graph_uri`` available to ``match_on``."""
    vcr.register_matcher("graph_uri", graph_uri)
