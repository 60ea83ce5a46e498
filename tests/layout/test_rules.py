"""The rule registry (``extractor.rules``) knows every rule id the code writes and every rule
a real build reports, each with its severities, help and example; the README's table and
the SARIF rule descriptors are written from it.

Emitters keep their ids as literals where they emit them. ``RuleSites`` finds those in the
source: the argument given for a parameter (or field) named ``rule`` of any function or
class in ``extractor/`` (``ctx.report("no-title", ...)``, ``Problem("fence-unclosed", ...)``,
``Diagnostic(rule=...)``, ``out.add(f"{kind}-added", ...)``), ``(rule, severity, ...)``
tuples, and comparisons with ``.rule``. F-strings are expanded through the functions'
parameters as far as literals reach (``kind`` of ``_diff_fields`` is ``"parameter"``,
``"property"`` or ``"relationship"``); what stays unknown becomes a pattern.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor import rules
from extractor.rules import RULES, Rule
from extractor.rules.__main__ import main as rules_main

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "extractor"
ZH_CN = REPO.parent / "shared" / "corpus" / "zh-CN"
UNKNOWN = "{}"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SEVERITIES = {
    "diagnostic": {"error", "warning", "info"},
    "change": {"breaking", "deprecation", "non-breaking", "info"},
    "finding": {"warning", "info"},
}
ALL_SEVERITIES = set().union(*SEVERITIES.values())
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Site:
    """A rule id written in the source: a literal, or a pattern with ``{}`` for the unknown."""

    path: str
    line: int
    rule: str
    severities: frozenset[str]  # the literal severities given beside it, if any

    @property
    def kind(self) -> str:
        if self.path.startswith("metadata/"):
            return "finding"
        return "change" if self.path.startswith("diff/") else "diagnostic"

    def matches(self, rule_id: str) -> bool:
        parts = [re.escape(part) for part in self.rule.split(UNKNOWN)]
        return re.fullmatch("[a-z0-9-]+".join(parts), rule_id) is not None


def _parameters(fn: Function, method: bool) -> list[str]:
    names = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    return names[1:] if method and names[:1] in (["self"], ["cls"]) else names


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


class RuleSites:
    """Every place in a package's source that writes a rule id (see the module docstring)."""

    def __init__(self, package: Path) -> None:
        self.package = package
        self.parents: dict[ast.AST, ast.AST] = {}
        self.module: dict[ast.AST, Path] = {}
        for path in sorted(package.rglob("*.py")):
            if path.relative_to(package).parts[0] == "metadata":
                continue  # check-metadata looks its rules up in the registry (KeyError if unknown)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                self.module[node] = path
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
        #: callee name -> (parameter names, how many are required) of each definition
        self.signatures: dict[str, list[tuple[list[str], int]]] = {}
        for node in self.module:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = _parameters(node, isinstance(self.parents.get(node), ast.ClassDef))
                required = len(params) - len(node.args.defaults)
                self.signatures.setdefault(node.name, []).append((params, required))
            elif isinstance(node, ast.ClassDef):
                fields = [
                    s.target.id
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                ]
                if "rule" in fields:  # a dataclass or model that holds a rule id
                    self.signatures.setdefault(node.name, []).append((fields, 0))
        self.calls = [node for node in self.module if isinstance(node, ast.Call)]

    def _enclosing(self, node: ast.AST) -> Function | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def argument(self, call: ast.Call, name: str) -> ast.expr | None:
        """What a call passes for its callee's parameter ``name``, if it passes it."""
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        given = len(call.args) + len(call.keywords)
        for params, required in self.signatures.get(_callee(call), []):
            if name in params and given >= required and params.index(name) < len(call.args):
                found = call.args[params.index(name)]
                return None if isinstance(found, ast.Starred) else found
        return None

    def values(self, expr: ast.expr, seen: frozenset[tuple[str, str]] = frozenset()) -> set[str]:
        """The strings an expression can be, ``{}`` standing for what is not known."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, seen) | self.values(expr.orelse, seen)
        if isinstance(expr, ast.JoinedStr):
            parts = [
                self.values(v.value, seen)
                if isinstance(v, ast.FormattedValue)
                else {v.value if isinstance(v, ast.Constant) else UNKNOWN}
                for v in expr.values
            ]
            return {"".join(p) for p in itertools.product(*parts)}
        fn = self._enclosing(expr)
        parameters = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args]} if fn else set()
        if isinstance(expr, ast.Name) and fn is not None and expr.id in parameters:
            return self._parameter_values(fn.name, expr.id, seen)
        return {UNKNOWN}

    def _parameter_values(
        self, function: str, param: str, seen: frozenset[tuple[str, str]]
    ) -> set[str]:
        if (function, param) in seen:
            return {UNKNOWN}
        found: set[str] = set()
        for call in self.calls:
            if _callee(call) == function:
                given = self.argument(call, param)
                if given is not None:
                    found |= self.values(given, seen | {(function, param)})
        return found or {UNKNOWN}

    def _rule_and_severity(self, node: ast.AST) -> tuple[ast.expr | None, ast.expr | None]:
        if isinstance(node, ast.Call):
            rule = self.argument(node, "rule")
            if isinstance(rule, ast.Name) and rule.id == "rule":
                return None, None  # passed on: its callers are sites themselves
            return rule, self.argument(node, "severity")
        if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
            first, second = node.elts[:2]
            if (
                isinstance(second, ast.Constant)
                and second.value in ALL_SEVERITIES
                and isinstance(first, ast.Constant | ast.JoinedStr)
                and not (isinstance(first, ast.Constant) and first.value in ALL_SEVERITIES)
            ):
                return first, second
        if (
            isinstance(node, ast.Compare)
            and len(node.comparators) == 1
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "rule"
        ):
            return node.comparators[0], None
        return None, None

    def sites(self) -> list[Site]:
        found: set[Site] = set()
        for node in self.parents:
            rule, severity = self._rule_and_severity(node)
            if rule is None:
                continue
            severities = self.values(severity) if severity is not None else set()
            path = self.module[node].relative_to(self.package).as_posix()
            for value in self.values(rule) - {UNKNOWN}:
                known = frozenset(severities - {UNKNOWN})
                found.add(Site(path, getattr(node, "lineno", 0), value, known))
        return sorted(found, key=lambda s: (s.path, s.line, s.rule))


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return RuleSites(PACKAGE).sites()


def _registered(rule_id: str, kind: str, where: str) -> Rule:
    found = rules.find(rule_id)
    assert found is not None, f"{where}: rule {rule_id!r} is not in extractor/rules"
    assert found.kind == kind, f"{where}: {rule_id!r} is registered as a {found.kind} rule"
    return found


# --- (a) the source ---------------------------------------------------------------------


def test_every_rule_the_code_writes_is_registered(sites: list[Site]) -> None:
    missing = []
    for site in sites:
        where = f"extractor/{site.path}:{site.line}"
        if UNKNOWN in site.rule:
            same_kind = [r.id for r in RULES if r.kind == site.kind]
            if not any(site.matches(rule_id) for rule_id in same_kind):
                missing.append(f"{where}: no registered rule matches {site.rule!r}")
            continue
        found = rules.find(site.rule)
        if found is None or found.kind != site.kind:
            missing.append(f"{where}: {site.kind} rule {site.rule!r} is not registered")
        elif not site.severities <= set(found.severities):
            missing.append(f"{where}: {site.rule!r} emitted as {sorted(site.severities)}")
    assert not missing, "\n".join(missing)


def test_every_registered_rule_is_still_written_somewhere(sites: list[Site]) -> None:
    stale = [
        r.id
        for r in RULES
        if r.kind != "finding"
        and not any(site.kind == r.kind and site.matches(r.id) for site in sites)
    ]
    assert not stale, f"registered but emitted nowhere in extractor/: {stale}"


def test_the_scan_follows_f_strings_and_pass_through_parameters(sites: list[Site]) -> None:
    literal = {site.rule for site in sites}
    assert {
        "relationship-became-optional",  # f"{kind}-became-optional", kind from the callers
        "property-type-changed",  # f"{kind}-type-changed" handed to _type_changed(rule=...)
        "property-type-differs",  # _merge_parameters(..., rule, ...) -> _diag(rule, ...)
        "annotation-invalid-unicode",  # f"{what}-invalid-unicode", what from the callers
        "fixture-invalid",  # a (rule, severity, message) tuple
        "models-import-failed",  # Diagnostic(rule=...)
        "worker-crashed",  # error_record(display, "worker-crashed", message) in the engine
        "fence-unclosed",  # Problem("fence-unclosed", ...), a dataclass
    } <= literal
    assert "permission-{}" in literal  # how: a loop variable, left as a pattern


# --- (c) the registry itself ------------------------------------------------------------


def test_registry_entries_are_unique_kebab_case_and_helpful() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for r in RULES:
        assert KEBAB.fullmatch(r.id), r.id
        assert r.kind in SEVERITIES, r
        assert r.severities and set(r.severities) <= SEVERITIES[r.kind], r
        assert len(set(r.severities)) == len(r.severities), r
        assert r.help.strip() == r.help and r.help.endswith("."), r.id
        assert "\n" not in r.help and len(r.help) >= 30, r.id
        assert r.summary and len(r.summary) < len(r.help) + 1, r.id
        assert r.example.strip() and "`" not in r.example and "\n" not in r.example, r.id


def test_rule_looks_a_rule_up_by_id() -> None:
    assert rules.rule("json-repaired").severity == "info"
    assert rules.rule("parameter-added").severities == ("non-breaking", "breaking")
    assert rules.find("no-such-rule") is None
    with pytest.raises(KeyError, match="no-such-rule"):
        rules.rule("no-such-rule")


# --- (b) real outputs -------------------------------------------------------------------


def _reported(diagnostics_json: Path, diff_json: Path) -> list[tuple[str, str, str, str]]:
    """(kind, rule, severity, where) of everything two output files report."""
    found = [
        ("diagnostic", d["rule"], d["severity"], f"{diagnostics_json}: {d['path']}")
        for d in json.loads(diagnostics_json.read_text(encoding="utf-8"))["diagnostics"]
    ]
    found += [
        ("change", c["rule"], c["severity"], f"{diff_json}: {c['location']}")
        for c in json.loads(diff_json.read_text(encoding="utf-8"))["changes"]
    ]
    return found


def _assert_registered(reported: Iterable[tuple[str, str, str, str]]) -> None:
    problems = set()
    for kind, rule_id, severity, where in reported:
        found = rules.find(rule_id)
        if found is None or found.kind != kind:
            problems.add(f"{kind} rule {rule_id!r} is not registered ({where})")
        elif severity not in found.severities:
            problems.add(f"{rule_id!r} reported as {severity!r} ({where})")
    assert not problems, "\n".join(sorted(problems))


def test_every_rule_of_the_seed_build_is_registered() -> None:
    """``output/`` is the seed build (``extractor build --check`` holds it so)."""
    reported = _reported(
        REPO / "output" / "diagnostics.json", REPO / "output" / "diff" / "v1.0-beta.json"
    )
    assert {kind for kind, *_ in reported} == {"diagnostic", "change"}
    _assert_registered(reported)


@pytest.mark.slow
def test_every_rule_of_the_zh_cn_build_is_registered(tmp_path: Path) -> None:
    """A fresh build of zh-CN with this code (never an older build lying around)."""
    if not ZH_CN.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    out = tmp_path / "zh"
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "build", str(ZH_CN), "-o", str(out), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / ".cache")},
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert done.returncode in (0, 3), done.stderr
    reported = _reported(out / "diagnostics.json", out / "diff" / "v1.0-beta.json")
    assert len({rule_id for _, rule_id, _, _ in reported}) >= 50
    _assert_registered(reported)


def test_the_committed_sarif_carries_the_registrys_help() -> None:
    log = json.loads((REPO / "output" / "diagnostics.sarif").read_text(encoding="utf-8"))
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    assert descriptors
    for descriptor in descriptors:
        registered = rules.rule(descriptor["id"])
        assert descriptor["fullDescription"]["text"] == registered.help
        assert descriptor["shortDescription"]["text"] == registered.summary
        assert registered.example in descriptor["help"]["text"]


# --- the README's table -----------------------------------------------------------------


def test_the_readme_table_is_the_registrys() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert rules.with_table(readme) == readme, (
        "README.md's rule table differs from extractor/rules: "
        "run `python -m extractor.rules --readme README.md`"
    )
    for r in RULES:
        assert f"| `{r.id}` |" in readme, r.id


def test_the_tables_print_and_rewrite_a_readme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rules_main(["--markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("| rule | severity | help |") == 2
    assert "| `worker-crashed` | error |" in printed
    assert "| `parameter-added` | non-breaking / breaking |" in printed
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{rules.README_START}\nstale table\n{rules.README_END}\n\nafter\n")
    assert rules_main(["--readme", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("# x\n\n<!-- rules:start -->\n") and text.endswith("end -->\n\nafter\n")
    assert "stale table" not in text and "`json-repaired`" in text
    assert rules.with_table(text) == text
    readme.write_text("# no markers\n")
    with pytest.raises(ValueError, match="rules:start"):
        rules_main(["--readme", str(readme)])
