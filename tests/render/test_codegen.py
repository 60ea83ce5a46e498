"""Generated pydantic models: names, versions, imports, ruff, determinism, scale, real corpus."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from extractor.render.models import (
    field_name,
    format_python,
    formatting,
    is_primitive,
    model_class_name,
    module_for,
    render_models,
    request_class_name,
)
from extractor.render.models.layout import _import_line
from extractor.render.models.text import _clean, _pieces, _width
from extractor.schema import (
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecRequestPath,
    SpecTypeDef,
    UnifiedSpec,
)

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BOTH = ["beta", "v1.0"]
_unique = itertools.count(1)


def prop(name: str, type_: str | None = "Edm.String", *, versions=BOTH, **kw) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=list(versions), **kw)


def call_spec() -> UnifiedSpec:
    """A call with an enum-typed property, a collection of a complex type and a derived type."""
    return UnifiedSpec(
        types=[
            SpecTypeDef(
                name="microsoft.graph.entity",
                kind="entity",
                versions=BOTH,
                description="The base of every entity.",
                properties=[prop("id", description="The unique identifier.")],
            ),
            SpecTypeDef(
                name="microsoft.graph.call",
                kind="entity",
                base_type="microsoft.graph.entity",
                versions=BOTH,
                description='Represents a "call": \\ and """quotes""" survive.',
                properties=[
                    prop("callbackUri", description="The callback URL. Must be `https`."),
                    prop("state", "microsoft.graph.callState", description="The call state."),
                    prop("targets", "microsoft.graph.invitationParticipantInfo", collection=True),
                    prop("createdDateTime", "Edm.DateTimeOffset", description="Created at."),
                    prop("ringingTimeoutInSeconds", "Edm.Int32"),
                    prop("class", "Edm.Boolean"),
                    prop("json", "Edm.Double"),
                    prop("3dVideo", "Edm.Boolean"),
                    prop("routingPolicies", "microsoft.graph.routingPolicy", collection=True),
                    prop(
                        "transcription", "microsoft.graph.callTranscriptionInfo", versions=["beta"]
                    ),
                    prop("lastSession", "microsoft.graph.callRecords.session"),
                ],
            ),
            SpecTypeDef(
                name="microsoft.graph.callTranscriptionInfo",
                versions=["beta"],
                properties=[prop("state", versions=["beta"])],
            ),
            SpecTypeDef(
                name="microsoft.graph.participantInfo",
                versions=BOTH,
                properties=[prop("identity", "microsoft.graph.identitySet"), prop("region")],
            ),
            SpecTypeDef(
                name="microsoft.graph.invitationParticipantInfo",
                base_type="microsoft.graph.participantInfo",
                versions=BOTH,
                properties=[prop("replacesCallId")],
            ),
            SpecTypeDef(
                name="microsoft.graph.identitySet",
                versions=BOTH,
                properties=[prop("user", "microsoft.graph.identity")],
            ),
            SpecTypeDef(
                name="microsoft.graph.identity",
                versions=BOTH,
                properties=[prop("id"), prop("displayName")],
            ),
            SpecTypeDef(
                name="microsoft.graph.callRecords.session",
                kind="entity",
                base_type="microsoft.graph.entity",
                versions=BOTH,
                properties=[prop("caller", "microsoft.graph.identity")],
            ),
            SpecTypeDef(
                name="microsoft.graph.callRecordsSession",
                versions=["v1.0"],
                inferred=True,
                properties=[prop("count", "Edm.Int64", versions=["v1.0"])],
            ),
        ],
        enums=[
            SpecEnumDef(
                name="microsoft.graph.callState",
                versions=BOTH,
                description="The state of a call.",
                members=[
                    SpecEnumMember(name="incoming", value=0, versions=BOTH, description="In."),
                    SpecEnumMember(name="established", value=1, versions=BOTH),
                    SpecEnumMember(name="videoBasedScreenSharing", value=2, versions=["beta"]),
                ],
            ),
            SpecEnumDef(
                name="microsoft.graph.routingPolicy",
                versions=BOTH,
                members=[SpecEnumMember(name="none", versions=BOTH)],
            ),
        ],
        operations=[
            SpecOperation(
                id="call.redirect",
                kind="action",
                binding_type="microsoft.graph.call",
                name="redirect",
                title="call: redirect",
                description="Redirect an incoming call.",
                method="POST",
                versions=BOTH,
                paths=[
                    SpecRequestPath(path="/communications/calls/{id}/redirect", versions=BOTH),
                    SpecRequestPath(path="/app/calls/{id}/redirect", versions=["beta"]),
                ],
                parameters=[
                    prop("targets", "microsoft.graph.invitationParticipantInfo", collection=True),
                    prop("timeout", "Edm.Int32"),
                    prop("callbackUri"),
                    prop("targetDisposition", "microsoft.graph.callDisposition", versions=["beta"]),
                    prop("maskCallee", "Edm.Boolean", versions=["beta"]),
                    prop("maskCaller", "Edm.Boolean", versions=["beta"]),
                ],
            ),
            SpecOperation(id="call.get", kind="get", method="GET", versions=BOTH),
        ],
    )


@contextmanager
def imported(files: dict[str, str], root: Path) -> Iterator[ModuleType]:
    """Import rendered ``models/...`` files as a package of a fresh name; forget it afterwards."""
    name = f"generated_models_{next(_unique)}"
    for relative, text in files.items():
        target = root / name / Path(relative).relative_to("models")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield __import__(name)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def version(package: ModuleType, name: str) -> ModuleType:
    __import__(f"{package.__name__}.{name}")
    return getattr(package, name)


def ruff(*args: str, source: str | None = None) -> subprocess.CompletedProcess[str]:
    from ruff.__main__ import find_ruff_bin

    return subprocess.run(
        [find_ruff_bin(), *args], input=source, capture_output=True, text=True, check=False
    )


def isort_fixes(source: str, path: str) -> str:
    """The diff ruff's isort would apply to ``source``, as the generator calls it."""
    options = ["--isolated", "--line-length", "100", "--target-version", "py311"]
    done = ruff(
        "check", *options, "--select", "I", "--diff", "--stdin-filename", path, "-", source=source
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


# --- names ------------------------------------------------------------------------------------


def test_module_for() -> None:
    assert module_for("v1.0") == "v1_0"
    assert module_for("beta") == "beta"
    assert module_for("2.0") == "v2_0"


def test_model_class_name() -> None:
    assert model_class_name("microsoft.graph.call") == "Call"
    assert model_class_name("microsoft.graph.callRecords.session") == "CallRecordsSession"
    assert model_class_name("#microsoft.graph.invitationParticipantInfo") == (
        "InvitationParticipantInfo"
    )
    assert model_class_name("graph.security.alert") == "GraphSecurityAlert"
    assert model_class_name("microsoft.graph.none") == "None_"
    assert model_class_name("microsoft.graph.3dModel") == "T3dModel"
    assert request_class_name("call.redirect") == "CallRedirectRequest"


def test_field_names() -> None:
    assert field_name("callbackUri") == "callback_uri"
    assert field_name("@odata.type") == "odata_type"
    assert field_name("isOAuthEnabled") == "is_o_auth_enabled"
    assert field_name("HTMLBody") == "html_body"
    assert field_name("from") == "from_"
    assert field_name("json") == "json_"
    assert field_name("model_config") == "model_config_"
    assert field_name("3dVideo") == "n3d_video"
    assert field_name("str") == "str_"
    assert field_name("l") == "l_"
    assert field_name("名称") == "field"


def test_pieces_concatenate_back_within_width() -> None:
    text = "word " * 30 + "x" * 200 + " 中文字符" * 40
    pieces = _pieces(text, 72)
    assert "".join(pieces) == text
    assert all(sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in p) <= 72 for p in pieces)


def test_pieces_is_linear_on_one_huge_word() -> None:
    text = "[" * 100_000
    pieces = _pieces(text, 72)
    assert "".join(pieces) == text and len(pieces) == 1389


def reference_pieces(text: str, width: int, *, cut_words: bool = True) -> list[str]:
    """``_pieces`` as first written: long words cut one character at a time."""
    pieces: list[str] = []
    current, used = "", 0
    for token in re.findall(r"\S+\s*|\s+", text):
        size = _width(token)
        if size > width and (cut_words or not token.isascii()):
            if current:
                pieces.append(current)
            current, used = "", 0
            for char in token:
                step = _width(char)
                if used + step > width and current:
                    pieces.append(current)
                    current, used = "", 0
                current += char
                used += step
            continue
        if used + size > width and current:
            pieces.append(current)
            current, used = "", 0
        current += token
        used += size
    if current or not pieces:
        pieces.append(current)
    return pieces


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab \t\u3000中文字é😀", max_size=120),
    st.integers(min_value=1, max_value=12),
    st.booleans(),
)
def test_pieces_cut_where_one_character_at_a_time_would(
    text: str, width: int, cut_words: bool
) -> None:
    assert _pieces(text, width, cut_words=cut_words) == reference_pieces(
        text, width, cut_words=cut_words
    )


@given(st.one_of(st.none(), st.text()))
def test_clean_collapses_whitespace_as_the_regex_did(text: str | None) -> None:
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\x85]")
    expected = (text or "").encode("utf-8", "replace").decode("utf-8")
    expected = re.sub(r"\s+", " ", control.sub(" ", expected)).strip()
    assert _clean(text) == expected


IMPORTED = ["Windows10AppType", "Windows81Foo", "WindowsAppX", "Windows1Bar", "WINDOWS_X", "X01"]
IMPORTED += ["X1", "A_b", "aB", "AppListItem", "ApplicationType", "App2", "App10", "IOS", "Ios"]


@pytest.mark.parametrize("count", [2, len(IMPORTED)])
def test_imports_are_laid_out_as_ruff_sorts_them(count: int) -> None:
    """A file ruff has to fix is linted twice: the generated imports need no fix."""
    names = IMPORTED[:count]
    nested = textwrap.indent(_import_line("graph", names, 4), "    ")
    source = (
        "from typing import TYPE_CHECKING\n\n"
        f"{_import_line('graph', reversed(names))}\n\n"
        f"if TYPE_CHECKING:\n{nested}\n"
    )
    assert isort_fixes(source, "models/x.py") == ""


def test_generated_imports_need_no_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "format_python", lambda files: files)
    raw = render_models(call_spec())
    modules = {path: text for path, text in raw.items() if not path.endswith("__init__.py")}
    assert modules
    for path, source in modules.items():
        assert isort_fixes(source, path) == "", path


def test_format_python_leaves_what_ruff_cannot_parse() -> None:
    files = {"models/a.py": "x  =  [1,2]\n", "models/b.py": "def broken(:\n    x  =  1\n"}
    assert format_python(files) == {
        "models/a.py": "x = [1, 2]\n",
        "models/b.py": files["models/b.py"],
    }


def test_format_python_ignores_the_folder_it_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a checkout that has a ``pydantic`` folder, ruff would call pydantic
    first-party and move its imports below the other third-party ones: the models would
    depend on where the build ran."""
    imports = "import json\n\nimport orjson\nimport pydantic\n\n"
    files = {"models/a.py": imports + "x = [json, orjson, pydantic]\n"}
    expected = format_python(files)
    (tmp_path / "pydantic").mkdir()
    (tmp_path / "pydantic" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    assert format_python(files) == expected == files


def test_format_python_without_ruff_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "_ruff_binary", lambda: None)
    files = {"models/a.py": "x  =  1\n"}
    assert format_python(files) == files


# --- the generated package ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render_models(call_spec())


def test_file_layout(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == [
        "models/__init__.py",
        "models/beta/__init__.py",
        "models/beta/_base.py",
        "models/beta/_wire.py",
        "models/beta/call_records.py",
        "models/beta/graph.py",
        "models/beta/operations.py",
        "models/v1_0/__init__.py",
        "models/v1_0/_base.py",
        "models/v1_0/_wire.py",
        "models/v1_0/call_records.py",
        "models/v1_0/graph.py",
        "models/v1_0/operations.py",
    ]


def test_renders_byte_identical_twice(rendered: dict[str, str]) -> None:
    assert render_models(call_spec()) == rendered


def test_passes_ruff_with_project_config(rendered: dict[str, str], tmp_path: Path) -> None:
    for relative, text in rendered.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    config = str(REPO / "pyproject.toml")
    check = ruff("check", "--config", config, "--no-cache", str(tmp_path / "models"))
    assert check.returncode == 0, check.stdout
    form = ruff("format", "--config", config, "--no-cache", "--check", str(tmp_path / "models"))
    assert form.returncode == 0, form.stdout


def test_generated_source_reads_as_written(rendered: dict[str, str]) -> None:
    graph = rendered["models/v1_0/graph.py"]
    assert graph.startswith('"""Types and enums of `microsoft.graph` in Microsoft Graph v1.0."""')
    assert "class Call(Entity):" in graph
    assert "    state: Open[CallState] | None = Field(" in graph
    assert "    targets: list[Nested[InvitationParticipantInfo]] | None = None" in graph
    assert '    class_: bool | None = Field(default=None, alias="class")' in graph
    assert '    __graph_type__ = "microsoft.graph.call"' in graph
    assert "class CallState(StrEnum):" in graph
    assert '    VIDEO_BASED_SCREEN_SHARING = "videoBasedScreenSharing"' not in graph
    assert (
        '    VIDEO_BASED_SCREEN_SHARING = "videoBasedScreenSharing"'
        in (rendered["models/beta/graph.py"])
    )
    # callRecords.session is referenced by call before its module is imported.
    assert "if TYPE_CHECKING:\n    from .call_records import CallRecordsSession2" in graph
    assert "from .graph import Entity, Identity" in rendered["models/v1_0/call_records.py"]


def test_classes_aliases_and_bases(rendered: dict[str, str], tmp_path: Path) -> None:
    with imported(rendered, tmp_path) as package:
        v1 = version(package, "v1_0")
        call = v1.TYPE_INDEX["microsoft.graph.call"]
        assert call is v1.Call and issubclass(call, v1.Entity)
        assert issubclass(v1.Entity, v1.GraphModel)
        assert issubclass(v1.InvitationParticipantInfo, v1.ParticipantInfo)
        fields = call.model_fields
        assert {name: f.alias for name, f in fields.items() if f.alias} == {
            "odata_type": "@odata.type",
            "callback_uri": "callbackUri",
            "created_date_time": "createdDateTime",
            "ringing_timeout_in_seconds": "ringingTimeoutInSeconds",
            "class_": "class",
            "json_": "json",
            "n3d_video": "3dVideo",
            "routing_policies": "routingPolicies",
            "last_session": "lastSession",
        }
        assert all(f.default is None for f in fields.values())
        assert fields["created_date_time"].description == "Created at."
        assert call.__doc__.splitlines()[0] == 'Represents a "call": \\ and """quotes""" survive.'
        assert issubclass(v1.CallState, StrEnum)
        assert [m.value for m in v1.CallState] == ["incoming", "established"]
        assert v1.CallState.INCOMING.__doc__ is not None
        enums = {
            "microsoft.graph.callState": v1.CallState,
            "microsoft.graph.routingPolicy": v1.RoutingPolicy,
        }
        assert enums == v1.ENUM_INDEX
        # Two names for one class: the root namespace keeps the plain name.
        assert v1.TYPE_INDEX["microsoft.graph.callRecordsSession"].__name__ == "CallRecordsSession"
        session = v1.TYPE_INDEX["microsoft.graph.callRecords.session"]
        assert session.__name__ == "CallRecordsSession2"
        assert "Inferred from the documentation's examples" in v1.CallRecordsSession.__doc__
        assert set(v1.OPERATION_REQUEST_INDEX) == {"call.redirect"}
        v1.rebuild_all()


def test_validation_by_alias_and_name(rendered: dict[str, str], tmp_path: Path) -> None:
    with imported(rendered, tmp_path) as package:
        v1 = version(package, "v1_0")
        call = v1.Call.model_validate(
            {
                "@odata.type": "#microsoft.graph.call",
                "callbackUri": "https://bot.contoso.com/callback",
                "state": "incoming",
                "targets": [{"identity": {"user": {"id": "1", "displayName": "A"}}}],
                "lastSession": {"caller": {"id": "7"}},
                "createdDateTime": "String (timestamp)",
                "ringingTimeoutInSeconds": 30,
                "routingPolicies": ["none", "undocumentedPolicy"],
                "notInTheDocs": True,
            }
        )
        assert call.callback_uri == "https://bot.contoso.com/callback"
        assert call.state == "incoming" and call.targets[0].identity.user.display_name == "A"
        assert isinstance(call.targets[0], v1.InvitationParticipantInfo)
        assert isinstance(call.last_session, v1.CallRecordsSession2)
        assert call.routing_policies == ["none", "undocumentedPolicy"]
        assert call.model_extra == {"notInTheDocs": True}
        by_name = v1.Call(callback_uri="x", class_=True)
        assert by_name.model_dump(exclude_none=True) == {"callbackUri": "x", "class": True}
        with pytest.raises(ValidationError) as caught:
            v1.Call.model_validate({"ringingTimeoutInSeconds": "soon", "targets": [5]})
        assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
            (("targets", 0), "model_type"),
            (("ringingTimeoutInSeconds",), "int_parsing"),
        ]


def test_odata_type_picks_the_derived_class(rendered: dict[str, str], tmp_path: Path) -> None:
    with imported(rendered, tmp_path) as package:
        v1 = version(package, "v1_0")
        holder = v1.IdentitySet.model_validate({"user": {"id": "1"}})
        assert type(holder.user) is v1.Identity
        base = v1.ParticipantInfo
        derived = v1.model_for(base, {"@odata.type": "#microsoft.graph.invitationParticipantInfo"})
        assert derived is v1.InvitationParticipantInfo
        unrelated = v1.model_for(base, {"@odata.type": "#microsoft.graph.identity"})
        assert unrelated is base


def test_beta_only_fields_only_in_beta(rendered: dict[str, str], tmp_path: Path) -> None:
    with imported(rendered, tmp_path) as package:
        v1, beta = version(package, "v1_0"), version(package, "beta")
        v1_request = v1.OPERATION_REQUEST_INDEX["call.redirect"]
        beta_request = beta.OPERATION_REQUEST_INDEX["call.redirect"]
        assert v1_request.__name__ == beta_request.__name__ == "CallRedirectRequest"
        assert sorted(v1_request.model_fields) == [
            "callback_uri",
            "odata_type",
            "targets",
            "timeout",
        ]
        assert sorted(beta_request.model_fields) == [
            "callback_uri",
            "mask_callee",
            "mask_caller",
            "odata_type",
            "target_disposition",
            "targets",
            "timeout",
        ]
        assert beta_request.model_fields["target_disposition"].description == (
            "microsoft.graph.callDisposition, not documented in beta"
        )
        assert "transcription" in beta.Call.model_fields
        assert "transcription" not in v1.Call.model_fields
        assert "microsoft.graph.callTranscriptionInfo" not in v1.TYPE_INDEX
        assert "microsoft.graph.callRecordsSession" not in beta.TYPE_INDEX
        assert "`POST /communications/calls/{id}/redirect`" in beta_request.__doc__
        request = beta_request.model_validate({"maskCallee": True, "targets": []})
        assert request.mask_callee is True


def test_alternatives_pick_the_type_odata_type_names(tmp_path: Path) -> None:
    spec = UnifiedSpec(
        types=[
            SpecTypeDef(name="microsoft.graph.appHostedMediaConfig", versions=BOTH),
            SpecTypeDef(
                name="microsoft.graph.serviceHostedMediaConfig",
                versions=BOTH,
                properties=[prop("preFetchMedia", "Edm.Boolean")],
            ),
            SpecTypeDef(
                name="microsoft.graph.call",
                versions=BOTH,
                properties=[
                    prop(
                        "mediaConfig",
                        "microsoft.graph.appHostedMediaConfig",
                        alternatives=[
                            "microsoft.graph.appHostedMediaConfig",
                            "microsoft.graph.serviceHostedMediaConfig",
                            "Edm.String",
                        ],
                    )
                ],
            ),
        ]
    )
    files = render_models(spec)
    assert (
        "media_config: Nested[AppHostedMediaConfig | ServiceHostedMediaConfig] | str | None"
        in files["models/v1_0/graph.py"]
    )
    with imported(files, tmp_path) as package:
        v1 = version(package, "v1_0")
        service = {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig", "preFetchMedia": 1}
        assert type(v1.Call.model_validate({"mediaConfig": service}).media_config) is (
            v1.ServiceHostedMediaConfig
        )
        assert type(v1.Call.model_validate({"mediaConfig": {}}).media_config) is (
            v1.AppHostedMediaConfig
        )
        assert v1.Call.model_validate({"mediaConfig": "text"}).media_config == "text"


def test_unknown_and_cyclic_bases_fall_back_to_graph_model(tmp_path: Path) -> None:
    spec = UnifiedSpec(
        types=[
            SpecTypeDef(name="microsoft.graph.a", base_type="microsoft.graph.b", versions=BOTH),
            SpecTypeDef(name="microsoft.graph.b", base_type="microsoft.graph.a", versions=BOTH),
            SpecTypeDef(name="microsoft.graph.c", base_type="microsoft.graph.gone", versions=BOTH),
            SpecTypeDef(name="microsoft.graph.d", base_type="microsoft.graph.d", versions=BOTH),
        ]
    )
    with imported(render_models(spec), tmp_path) as package:
        v1 = version(package, "v1_0")
        assert v1.A.__bases__ == (v1.B,) and v1.B.__bases__ == (v1.GraphModel,)
        assert v1.C.__bases__ == (v1.GraphModel,) and v1.D.__bases__ == (v1.GraphModel,)
        doc = " ".join(v1.C.__doc__.split())
        assert doc == (
            "Graph complex type `microsoft.graph.c`. "
            "Derives from `microsoft.graph.gone`, not documented in v1.0."
        )


def test_very_deep_inheritance_is_cut() -> None:
    chain = [
        SpecTypeDef(
            name=f"microsoft.graph.t{i}",
            base_type=f"microsoft.graph.t{i - 1}" if i else None,
            versions=BOTH,
        )
        for i in range(120)
    ]
    graph = render_models(UnifiedSpec(types=chain))["models/v1_0/graph.py"]
    assert "class T50(T49):" in graph
    assert "class T51(GraphModel):" in graph and "class T52(T51):" in graph
    assert "class T102(GraphModel):" in graph


def test_field_name_clashes_are_resolved(tmp_path: Path) -> None:
    spec = UnifiedSpec(
        types=[
            SpecTypeDef(
                name="microsoft.graph.base",
                versions=BOTH,
                properties=[prop("displayName"), prop("@odata.type")],
            ),
            SpecTypeDef(
                name="microsoft.graph.child",
                base_type="microsoft.graph.base",
                versions=BOTH,
                properties=[prop("DisplayName"), prop("displayName", "Edm.Int32"), prop("ID")],
            ),
        ]
    )
    with imported(render_models(spec), tmp_path) as package:
        child = version(package, "v1_0").Child
        assert {name: f.alias for name, f in child.model_fields.items()} == {
            "odata_type": "@odata.type",
            "display_name": "displayName",
            "display_name_2": "DisplayName",
            "id": "ID",
        }
        assert child.model_fields["display_name"].annotation == int | None


def test_long_and_foreign_text_stays_ruff_clean(tmp_path: Path) -> None:
    description = (
        "定义从中计算聚合的下限。 它可以是数字值，也可以是使用格式的日期的字符串表示形式 "
        "`YYYY-MM-DDTHH:mm:ss.sssZ` 。 必需。 See "
        "[windowsAutopilotDeploymentProfile](../resources/intune-shared-windowsautopilot"
        'deploymentprofile-with-a-very-long-name.md). \\d+ "quoted" ends with a quote"'
    )
    spec = UnifiedSpec(
        types=[
            SpecTypeDef(
                name="microsoft.graph.windowsInformationProtectionDesktopAppLearningSummary",
                versions=BOTH,
                description=description * 2,
                properties=[
                    prop("from", "microsoft.graph.missing", description=description),
                    prop(
                        "enterpriseProxiedDomains",
                        "microsoft.graph.windowsInformationProtectionDesktopAppLearningSummary",
                        collection=True,
                    ),
                ],
            )
        ],
        enums=[
            SpecEnumDef(
                name="microsoft.graph.odd",
                versions=BOTH,
                members=[
                    SpecEnumMember(name="1080p", versions=BOTH, description=description),
                    SpecEnumMember(name="class", versions=BOTH),
                    SpecEnumMember(name="Class", versions=BOTH),
                ],
            )
        ],
    )
    files = render_models(spec)
    for relative, text in files.items():
        (tmp_path / "check" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "check" / relative).write_text(text, encoding="utf-8")
    config = str(REPO / "pyproject.toml")
    check = ruff("check", "--config", config, "--no-cache", str(tmp_path / "check"))
    assert check.returncode == 0, check.stdout
    with imported(files, tmp_path / "import") as package:
        v1 = version(package, "v1_0")
        model = v1.WindowsInformationProtectionDesktopAppLearningSummary
        assert model.model_fields["from_"].description == (
            f"{description} (microsoft.graph.missing, not documented in v1.0)"
        )
        assert " ".join(model.__doc__.split()).startswith(" ".join(description.split()))
        assert [(m.name, m.value) for m in v1.Odd] == [
            ("V_1080P", "1080p"),
            ("CLASS", "class"),
            ("CLASS_2", "Class"),
        ]


def test_json_and_bare_primitive_names(tmp_path: Path) -> None:
    spec = UnifiedSpec(
        types=[
            SpecTypeDef(name="microsoft.graph.Json", versions=BOTH),
            SpecTypeDef(
                name="microsoft.graph.workbookRange",
                versions=BOTH,
                properties=[
                    prop("values", "microsoft.graph.Json"),
                    prop("address", "String"),
                    prop("rowCount", "int32"),
                ],
            ),
        ]
    )
    with imported(render_models(spec), tmp_path) as package:
        fields = version(package, "v1_0").WorkbookRange.model_fields
        assert str(fields["values"].annotation) == "typing.Any"
        assert fields["values"].description == "microsoft.graph.Json: any JSON value"
        assert fields["address"].annotation == str | None
        assert fields["row_count"].annotation == int | None
    assert is_primitive("String") and is_primitive("Edm.Guid") and is_primitive("edm.whatever")
    assert not is_primitive("microsoft.graph.string") and not is_primitive(None)


def test_pathological_input_stays_linear_clean_and_importable(tmp_path: Path) -> None:
    def param(name: str, type_: str = "Edm.String", **kw) -> SpecParameter:
        return SpecParameter(name=name, type=type_, versions=["v1.0"], **kw)

    spec = UnifiedSpec(
        types=[
            SpecTypeDef(
                name="microsoft.graph." + "x" * 100_000,
                versions=["v1.0"],
                description="[" * 100_000,
                properties=[
                    param("A" * 100_000, description="[" * 100_000),
                    param("b", "microsoft." + "a." * 50_000),
                    param("B" * 100_000, "Edm.Boolean"),
                ],
            )
        ],
        enums=[
            SpecEnumDef(
                name="microsoft.graph.e",
                versions=["v1.0"],
                members=[SpecEnumMember(name="A" * 100_000, versions=["v1.0"])],
            )
        ],
        operations=[
            SpecOperation(
                id="x" * 100_000, kind="action", versions=["v1.0"], parameters=[param("a")]
            )
        ],
    )
    start = time.perf_counter()
    files = render_models(spec)
    assert time.perf_counter() - start < 5
    for relative, text in files.items():
        (tmp_path / "check" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "check" / relative).write_text(text, encoding="utf-8")
    check = ruff("check", "--config", str(REPO / "pyproject.toml"), "--no-cache", str(tmp_path))
    assert check.returncode == 0, check.stdout
    with imported(files, tmp_path / "import") as package:
        v1 = version(package, "v1_0")
        (model,) = v1.TYPE_INDEX.values()
        assert len(model.__name__) == 80
        assert list(v1.TYPE_INDEX) == [spec.types[0].name]
        assert [len(name) for name in model.model_fields] == [10, 80, 1, 80]
        assert list(v1.OPERATION_REQUEST_INDEX) == ["x" * 100_000]


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import hashlib, json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_codegen import call_spec\n"
        "from extractor.render.models import render_models\n"
        "files = render_models(call_spec())\n"
        "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_empty_spec_still_gives_importable_packages(tmp_path: Path) -> None:
    files = render_models(UnifiedSpec())
    with imported(files, tmp_path) as package:
        assert package.VERSIONS == {"beta": "beta", "v1.0": "v1_0"}
        v1 = version(package, "v1_0")
        assert v1.TYPE_INDEX == {} and v1.OPERATION_REQUEST_INDEX == {}


# --- scale --------------------------------------------------------------------------------------


def synthetic_spec(count: int, seed: int = 7) -> UnifiedSpec:
    """``count`` interlinked types in a few namespaces, shaped like the Graph reference."""
    rng = random.Random(seed)
    namespaces = ["microsoft.graph"] * 9 + [
        "microsoft.graph.callRecords",
        "microsoft.graph.security",
    ]
    names = [f"{rng.choice(namespaces)}.type{i}" for i in range(count)]
    enums = [f"microsoft.graph.enum{i}" for i in range(count // 6)]
    types = []
    for i, name in enumerate(names):
        props = [prop(f"text{j}", "Edm.String", description="A property. " * 8) for j in range(4)]
        props += [
            prop("count", "Edm.Int32"),
            prop("when", "Edm.DateTimeOffset"),
            prop("kind", rng.choice(enums)),
            prop("ref", rng.choice(names)),
            prop("refs", rng.choice(names), collection=True),
        ]
        base = names[rng.randrange(i)] if i and rng.random() < 0.3 else None
        types.append(SpecTypeDef(name=name, base_type=base, versions=BOTH, properties=props))
    return UnifiedSpec(
        types=types,
        enums=[
            SpecEnumDef(name=e, versions=BOTH, members=[SpecEnumMember(name="a", versions=BOTH)])
            for e in enums
        ],
    )


@pytest.mark.slow
def test_thousands_of_types_import_and_resolve(tmp_path: Path) -> None:
    """3,400 types import and their forward references resolve (the import time is printed;
    speed is the benchmarks' to measure, not a test's)."""
    files = render_models(synthetic_spec(3400))
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    probe = textwrap.dedent(
        """
        import json, time
        start = time.process_time()
        import models.v1_0 as v1
        imported = time.process_time() - start
        v1.rebuild_all()
        item = v1.TYPE_INDEX[max(v1.TYPE_INDEX)].model_validate({"ref": {"count": 1}})
        assert item.ref.count == 1
        print(json.dumps({"import": imported, "types": len(v1.TYPE_INDEX)}))
        """
    )
    # Compile once, as an installed or previously imported package would have.
    subprocess.run([sys.executable, "-c", "import models.v1_0"], cwd=tmp_path, check=True)
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)
    print("synthetic models:", measured)
    assert measured["types"] == 3400


# --- the real corpus ----------------------------------------------------------------------------


@pytest.mark.slow
def test_real_corpus_models(zh_cn_result, tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    spec = zh_cn_result.spec
    files = render_models(spec)
    assert files == render_models(spec)
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    config = str(REPO / "pyproject.toml")
    check = ruff("check", "--config", config, "--no-cache", str(tmp_path / "models"))
    assert check.returncode == 0, check.stdout[-3000:]
    probe = textwrap.dedent(
        """
        import json, time
        result = {}
        for name in ("v1_0", "beta"):
            start = time.process_time()
            module = __import__("models." + name, fromlist=["TYPE_INDEX"])
            result[name] = time.process_time() - start
            module.rebuild_all()
            result[name + "_types"] = len(module.TYPE_INDEX)
            result[name + "_requests"] = len(module.OPERATION_REQUEST_INDEX)
        print(json.dumps(result))
        """
    )
    subprocess.run([sys.executable, "-c", "import models.beta, models.v1_0"], cwd=tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)
    print("real corpus models:", measured)
    beta_types = sum(1 for t in spec.types if "beta" in t.versions)
    assert measured["beta_types"] == beta_types > 2000
    beta = files["models/beta/operations.py"]
    assert "class CallRedirectRequest(GraphModel):" in beta
