"""Includes expanded as the docs build does (read/include.py), and the permissions they hold."""

from __future__ import annotations

from extractor.read.include import IncludeTree, expand_includes, resolve
from extractor.read.pages import build_record

PERMS = "../includes/permissions/x-get-permissions.md"
THREE_COLUMNS = (
    "---\ndescription: Automatically generated file. DO NOT MODIFY\nms.topic: include\n---\n\n"
    "|Permission type|Least privileged permissions|Higher privileged permissions|\n"
    "|:---|:---|:---|\n"
    "|Delegated (work or school account)| User.ReadBasic.All | User.Read.All, "
    "Directory.Read.All</br>User.ReadWrite.All |\n"
    "|Delegated (personal Microsoft account)|Not supported.|Not supported.|\n"
    "|Application| User.Read.All | Not available. |\n"
)


def page(permissions: str = f"[!INCLUDE [permissions-table]({PERMS})]", tail: str = "") -> str:
    return (
        "---\ntitle: Get x\ndoc_type: apiPageType\n---\n\n# Get x\n\nGet an x.\n\n"
        "## Permissions\n\n"
        '<!-- { "blockType": "permissions", "name": "x_get" } -->\n'
        f"{permissions}\n\n## HTTP request\n\n```http\nGET /x/{{id}}\n```\n{tail}"
    )


def loader(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda rel: files[rel].encode() if rel in files else None


def record(text: str, files: dict[str, str], at: str = "api/x-get.md"):  # type: ignore[no-untyped-def]
    tree = IncludeTree(at, "docs", loader(files))
    return build_record(f"docs/{at}", text.encode(), tree)


def test_a_path_is_relative_to_the_including_file_and_stays_in_the_tree() -> None:
    assert resolve("api/x.md", "../includes/a.md") == "includes/a.md"
    assert resolve("includes/a/b.md", "./c.md") == "includes/a/c.md"
    assert resolve("api/x.md", "../../outside.md") is None
    assert resolve("api/x.md", "/etc/passwd") is None
    assert resolve("api/x.md", "https://example.com/a.md") is None


def test_nested_includes_expand_and_keep_their_origin() -> None:
    files = {"inc/a.md": "A1\n[!INCLUDE [b](sub/b.md)]\nA3", "inc/sub/b.md": "B1\nB2\n"}
    got = expand_includes("P1\n[!INCLUDE [a](../inc/a.md)]\nP3", "api/p.md", "docs", loader(files))
    assert got.text == "P1\nA1\nB1\nB2\nA3\nP3"
    assert got.origins is not None and got.page_lines is not None
    assert got.origins[1:] == [
        ("docs/api/p.md", 1),
        ("docs/inc/a.md", 1),
        ("docs/inc/sub/b.md", 1),
        ("docs/inc/sub/b.md", 2),
        ("docs/inc/a.md", 3),
        ("docs/api/p.md", 3),
    ]
    assert got.page_lines[1:] == [1, 2, 2, 2, 2, 3]
    assert got.reads == ["inc/a.md", "inc/sub/b.md"] and not got.diagnostics


def test_a_loop_is_a_warning_and_expands_once() -> None:
    files = {"a.md": "A\n[!INCLUDE [b](b.md)]", "b.md": "B\n[!INCLUDE [a](a.md)]"}
    got = expand_includes("[!INCLUDE [a](a.md)]", "p.md", ".", loader(files))
    assert got.text == "A\nB\n[!INCLUDE [a](a.md)]"
    assert [(d.rule, d.path, d.line) for d in got.diagnostics] == [("include-loop", "b.md", 2)]


def test_commented_out_and_fenced_includes_are_left_alone() -> None:
    files = {"a.md": "ALPHA"}
    text = (
        "<!-- [!INCLUDE [a](a.md)] -->\n<!--\n[!INCLUDE [a](a.md)]\n-->\n"
        "```md\n[!INCLUDE [a](a.md)]\n```\n[!INCLUDE [a](a.md)]"
    )
    got = expand_includes(text, "p.md", ".", loader(files))
    assert got.text.count("ALPHA") == 1 and got.text.endswith("```\nALPHA")


def test_a_missing_permissions_include_is_a_warning_and_permissions_unknown() -> None:
    got = record(page(), {})
    assert got.operation is not None and got.operation.permissions is None
    [warning] = [d for d in got.diagnostics if d.rule == "include-missing"]
    assert (warning.severity, warning.path, warning.line) == ("warning", "docs/api/x-get.md", 13)
    assert "x-get-permissions.md" in warning.message


def test_an_include_outside_the_tree_is_missing_and_never_asked_for() -> None:
    asked: list[str] = []

    def load(rel: str) -> bytes | None:
        asked.append(rel)
        return THREE_COLUMNS.encode()

    text = page("[!INCLUDE [permissions-table](../../../includes/x-get-permissions.md)]")
    got = build_record("api/x-get.md", text.encode(), IncludeTree("api/x-get.md", "", load))
    assert asked == [] and got.operation is not None and got.operation.permissions is None
    assert any("leaves the docs tree" in d.message for d in got.diagnostics)


def test_a_missing_note_include_says_nothing_and_changes_nothing() -> None:
    text = page("| Permission type | Permissions |\n|:--|:--|\n| Application | A.Read |")
    text = text.replace("Get an x.", "Get an x.\n\n[!INCLUDE [beta-disclaimer](../../b.md)]")
    with_tree, alone = record(text, {}), build_record("docs/api/x-get.md", text.encode())
    assert with_tree == alone
    assert alone.operation is not None and alone.operation.permissions is not None
    assert alone.operation.permissions.application == ["A.Read"]


def test_the_three_column_table_keeps_both_columns_without_fillers() -> None:
    got = record(
        page(tail="\n## Response\n"), {"includes/permissions/x-get-permissions.md": THREE_COLUMNS}
    )
    assert got.operation is not None and got.operation.permissions is not None
    granted = got.operation.permissions
    assert granted.delegated_work == ["User.ReadBasic.All"]
    assert granted.delegated_work_higher == [
        "User.Read.All",
        "Directory.Read.All",
        "User.ReadWrite.All",
    ]
    assert (granted.delegated_personal, granted.delegated_personal_higher) == ([], [])
    assert (granted.application, granted.application_higher) == (["User.Read.All"], [])
    assert granted.granted("delegated_work")[0] == "User.ReadBasic.All"
    # lines after the include are the page's: the heading stands where the page has it
    assert [(s.title, s.line) for s in got.sections][-2:] == [
        ("HTTP request", 15),
        ("Response", 21),
    ]
    assert not [d for d in got.diagnostics if d.rule.startswith("include")]


def test_a_crlf_page_and_include_read_as_lf_ones() -> None:
    files = {"includes/permissions/x-get-permissions.md": THREE_COLUMNS.replace("\n", "\r\n")}
    crlf = record(page().replace("\n", "\r\n"), files)
    lf = record(page(), {"includes/permissions/x-get-permissions.md": THREE_COLUMNS})
    assert crlf.operation == lf.operation and crlf.sections == lf.sections


def test_an_inline_table_wins_over_a_missing_include() -> None:
    table = "| Permission type | Permissions |\n|:--|:--|\n| Application | A.Read, A.Write |"
    got = record(page(f"{table}\n\n[!INCLUDE [permissions-table]({PERMS})]"), {})
    assert got.operation is not None and got.operation.permissions is not None
    assert got.operation.permissions.application == ["A.Read", "A.Write"]
    assert got.operation.permissions.application_higher == []  # 2021: one column, kept whole


def test_a_finding_inside_an_include_names_the_include_file_and_line() -> None:
    include = "line one\n\n<!-- never closed\n"
    files = {"includes/permissions/x-get-permissions.md": include}
    got = record(page(), files)
    [unclosed] = [d for d in got.diagnostics if d.rule == "comment-unclosed"]
    assert (unclosed.path, unclosed.line) == ("docs/includes/permissions/x-get-permissions.md", 3)


def test_a_collection_annotation_and_a_collection_after_the_link() -> None:
    text = page(
        tail=(
            "\n## Response\n\nIf successful, this function returns a `200 OK` response code and a "
            "[callRecording](../resources/callrecording.md) collection in the response body.\n"
        )
    )
    got = record(text, {"includes/permissions/x-get-permissions.md": THREE_COLUMNS})
    assert got.operation is not None
    assert (got.operation.response.type, got.operation.response.collection) == (
        "microsoft.graph.callRecording",
        True,
    )


def test_a_cast_segment_names_the_operation_as_the_lowercase_cast_does() -> None:
    from extractor.read.pages.naming import path_words

    assert path_words("/servicePrincipals/{id}/Microsoft.Graph.AgentIdentity/owners") == (
        path_words("/servicePrincipals/{id}/microsoft.graph.agentIdentity/owners")
    )
    assert path_words("/servicePrincipals/{id}/microsoft.graph.agentIdentity")[-1] == (
        "agentIdentity"
    )


def test_a_collection_odata_type_annotation_is_the_type_as_a_collection() -> None:
    example = (
        '\n## Response\n\n<!-- {\n  "blockType": "response",\n'
        '  "@odata.type": "Collection(microsoft.graph.callRecording)"\n} -->\n'
        '```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{"value": []}\n```\n'
    )
    got = build_record("docs/api/x-get.md", page("None.", example).encode())
    assert got.operation is not None
    assert (got.operation.response.type, got.operation.response.collection) == (
        "microsoft.graph.callRecording",
        True,
    )
