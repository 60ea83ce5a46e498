"""``extractor check-metadata``: outputs, exit codes, and one-line errors (never a traceback).

Each case runs the real command in a child process, as a shell or Makefile would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from meta_helpers import ENTITY, edmx, member, schema, spec, typedef

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "corpus"
G = "microsoft.graph."
METADATA = edmx(
    schema(
        ENTITY
        + '<EntityType Name="call" BaseType="graph.entity">'
        + '<Property Name="state" Type="graph.callState"/></EntityType>'
        + '<EnumType Name="callState"><Member Name="incoming" Value="0"/></EnumType>'
        + '<ComplexType Name="invitationParticipantInfo"/>'
        + '<Action Name="redirect" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
        + '<Parameter Name="targets" Type="Collection(graph.invitationParticipantInfo)"/>'
        + '<Parameter Name="timeout" Type="Edm.Int32"/>'
        + '<Parameter Name="callbackUri" Type="Edm.String"/></Action>'
        + '<EntityContainer Name="GraphService"><Singleton Name="communications" '
        + 'Type="graph.cloudCommunications"/></EntityContainer>'
    )
)
DOCS = spec(
    types=(typedef(G + "call", base=G + "entity", properties=(member("state", "Edm.String"),)),)
)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache"), "LC_ALL": "C"}
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "v1.0-metadata.xml").write_text(METADATA, encoding="utf-8")
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    (tmp_path / "spec.json").write_text(json.dumps(DOCS), encoding="utf-8")
    return tmp_path


def assert_one_line(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr.splitlines()) == (2, [f"extractor: {message}"])


def test_json_on_a_spec_json(workdir: Path) -> None:
    done = run(workdir, "check-metadata", "v1.0-metadata.xml", "spec.json", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["summary"]["version"] == "v1.0"
    rules = {(f["rule"], tuple(f["element"])) for f in data["findings"]}
    assert ("string-for-enum", ("types", G + "call", "properties", "state")) in rules


@pytest.mark.parametrize("output_format", ["md", "sarif", "html"])
def test_other_formats_to_a_file(workdir: Path, output_format: str) -> None:
    target = workdir / "reports" / f"report.{output_format}"
    target.parent.mkdir()
    done = run(
        workdir,
        "check-metadata",
        "v1.0-metadata.xml",
        "spec.json",
        "--format",
        output_format,
        "-o",
        str(target),
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    text = target.read_text(encoding="utf-8")
    assert "string-for-enum" in text
    if output_format == "html":
        assert 'href="../pages/v1.0/call.md"' in text  # relative to the report's folder


def test_the_version_comes_from_the_name_else_the_option(workdir: Path) -> None:
    done = run(workdir, "check-metadata", "metadata.xml", "spec.json", "--format", "json")
    assert_one_line(
        done,
        "cannot tell the API version of metadata.xml (its name says neither v1.0 nor beta): "
        "give --version",
    )
    done = run(
        workdir,
        "check-metadata",
        "metadata.xml",
        "spec.json",
        "--version",
        "beta",
        "--format",
        "json",
    )
    assert json.loads(done.stdout)["summary"]["version"] == "beta"
    done = run(workdir, "check-metadata", "v1.0-metadata.xml", "spec.json", "--version", "beta")
    assert_one_line(
        done,
        "v1.0-metadata.xml is named for v1.0, but --version says beta; rename it or drop "
        "the option",
    )


def test_fail_on(workdir: Path) -> None:
    base = ["check-metadata", "v1.0-metadata.xml", "spec.json", "--format", "json"]
    assert run(workdir, *base, "--fail-on", "warning").returncode == 1
    assert run(workdir, *base, "--fail-on", "string-for-enum").returncode == 1
    assert run(workdir, *base, "--fail-on", "enum-member-missing").returncode == 0
    done = run(workdir, *base, "--fail-on", "nonsense")
    assert_one_line(done, "--fail-on nonsense: not a rule id nor one of any, warning, info")


def test_unreadable_inputs_are_one_line(workdir: Path) -> None:
    assert_one_line(
        run(workdir, "check-metadata", "missing.xml", "spec.json"),
        "cannot read missing.xml: No such file or directory",
    )
    (workdir / "beta.xml").write_text("<edmx:Edmx>", encoding="utf-8")
    done = run(workdir, "check-metadata", "beta.xml", "spec.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("extractor: beta.xml is not well-formed XML")
    assert len(done.stderr.splitlines()) == 1
    (workdir / "broken.json").write_text('{"operations": 3}', encoding="utf-8")
    assert_one_line(
        run(workdir, "check-metadata", "v1.0-metadata.xml", "broken.json"),
        "broken.json is not a spec.json: no list of operations",
    )
    (workdir / "odd.json").write_text('{"operations": [], "types": [{"x": 1}]}', encoding="utf-8")
    done = run(workdir, "check-metadata", "v1.0-metadata.xml", "odd.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("extractor: not a spec.json (KeyError")
    assert_one_line(
        run(workdir, "check-metadata", "v1.0-metadata.xml", "nowhere"),
        "no such file or directory: nowhere",
    )


def test_on_pages_the_findings_have_lines(workdir: Path) -> None:
    """The seeds read here (the v1.0 redirect page among them) rather than a spec.json."""
    done = run(
        workdir, "check-metadata", "v1.0-metadata.xml", str(SEEDS), "--format", "json", "--no-cache"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["summary"]["notes"] == []
    example = next(f for f in data["findings"] if f["rule"] == "example-parameter-not-in-metadata")
    assert example["element"] == ["operations", "call.redirect", "parameters", "routingPolicies"]
    page = Path(example["page"]).read_text(encoding="utf-8").splitlines()
    assert page[example["line"] - 1].startswith("```")  # the example's fence
    assert '"routingPolicies"' in "\n".join(page[example["line"] : example["line"] + 30])
