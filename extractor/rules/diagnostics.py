"""Diagnostic rules: findings about the pages, in the order a build meets them.

The ids are written as literals where each is emitted (``read/``, ``reconcile/``,
``render/``, ``engine/``); ``tests/layout/test_rules.py`` holds this table to those sites.
"""

from __future__ import annotations

from extractor.rules.examples import EXAMPLE_RULES
from extractor.rules.rule import Rule


def _rule(id: str, severities: str, help: str, example: str) -> Rule:
    return Rule(id, "diagnostic", tuple(severities.split()), help, example)


DIAGNOSTIC_RULES: tuple[Rule, ...] = (
    # --- a page's bytes (read/pages, engine/records) ---
    _rule(
        "invalid-utf8",
        "warning",
        "The page is not valid UTF-8; the undecodable bytes were replaced by U+FFFD. "
        "Save the page as UTF-8.",
        "not valid UTF-8 at byte 1834; undecodable bytes replaced",
    ),
    _rule(
        "nul-bytes",
        "warning",
        "The page holds NUL characters; they were removed. Remove them from the file.",
        "NUL bytes in the page; removed",
    ),
    _rule(
        "unreadable",
        "error",
        "The page file (or a folder below the one named) could not be read: a dangling "
        "link, a FIFO, no permission. It gives an empty record, the rest is built and the "
        "command exits 3. Check that the file exists and is readable.",
        "cannot read the page: Permission denied",
    ),
    _rule(
        "include-missing",
        "warning",
        "An include that fills something extractor reads (a permissions table) was not read: "
        "no such file in the docs tree, or its path leaves the tree given on the command "
        "line. What it would have filled is unknown (permissions null, not empty). Build "
        "from the docs repository's root, or add the include file.",
        "include '../includes/permissions/call-redirect-permissions.md' not read: no such "
        "file in the docs tree",
    ),
    _rule(
        "include-loop",
        "warning",
        "An include includes itself, directly or through others; the repeated include was "
        "left out. Break the cycle in the include files.",
        "include 'a.md' not read: it includes itself (a loop)",
    ),
    _rule(
        "internal-error",
        "error",
        "The extractor failed on this page (a bug, not the page's fault), so the page gives "
        "an empty record. Report it with the page and the message.",
        "page could not be read: IndexError: list index out of range",
    ),
    _rule(
        "worker-crashed",
        "error",
        "The worker process reading this page died (out of memory, a crash), so the page gives "
        "an empty record; the other pages still build. Build again, with fewer jobs if memory "
        "is short.",
        "the worker process died while reading this page",
    ),
    # --- bilingual spans and markdown (read/pages, read/markdown) ---
    _rule(
        "segment-malformed",
        "warning",
        "A translated span (sxs-lookup) has no English half, so the translation stays in the "
        "text. Repair the span's markup.",
        "a translated span has no English half",
    ),
    _rule(
        "segment-leftover",
        "warning",
        "A bilingual marker (sxs-lookup, data-ttu-id, data-stu-id) survives in the English text: "
        "a span was not replaced. Repair the span's markup.",
        "'sxs-lookup' survives in the English text",
    ),
    _rule(
        "fence-unclosed",
        "warning",
        "A code fence runs into the next heading or annotation comment; it was closed there. "
        "Add the closing fence.",
        "a fence runs into the next heading or annotation; closed it here",
    ),
    _rule(
        "comment-unclosed",
        "warning",
        "An HTML or annotation comment (<!--) is never closed and swallows what follows. "
        "Add the closing -->.",
        "annotation comment never closed",
    ),
    _rule(
        "front-matter-invalid",
        "warning",
        "The YAML front matter does not parse, or one of its values is nested too deep or too "
        "large; the front matter (or that value) was dropped. Fix the YAML.",
        "front matter: mapping values are not allowed in this context",
    ),
    # --- what the page is (read/pages) ---
    _rule(
        "doc-type-misspelt",
        "info",
        "The front matter's doc_type is a variant spelling; it was read as the kind it names. "
        "Nothing to do, or write the usual spelling (apiPageType, resourcePageType, ...).",
        "doc_type 'enumTypes' read as enum",
    ),
    _rule(
        "doc-type-contradicted",
        "info",
        "doc_type says api, but the page has properties and no HTTP request section; it was "
        "read as a resource page. Correct doc_type if the page describes a resource.",
        "doc_type says api, but the page has properties and no HTTP request; read as resource",
    ),
    _rule(
        "doc-type-missing",
        "info",
        "The front matter has no known doc_type; the kind of page was told from its sections "
        "(HTTP request: api, properties: resource, members: enum). Add doc_type if that is wrong.",
        "no doc_type; read as conceptual from its sections",
    ),
    _rule(
        "version-conflict",
        "info",
        "The folder (v1.0/ or beta/) and the content (beta disclaimer, example URLs) name "
        "different API versions; the folder wins. Check that the page is in the right folder.",
        "the folder says beta but the content says v1.0; using beta",
    ),
    _rule(
        "version-unknown",
        "warning",
        "Neither the folder, a beta disclaimer nor an example URL tells the page's API version, "
        "so the page is left out of the spec. Put it below v1.0/ or beta/.",
        "no beta disclaimer, example URL or folder says which version this is",
    ),
    _rule(
        "no-english",
        "warning",
        "A translated page without English spans: its prose (descriptions) is recorded in the "
        "page's language. Use a copy with side-by-side English if English prose is needed.",
        "no English text in this zh-CN page; prose is recorded in zh-CN",
    ),
    _rule(
        "no-title",
        "warning",
        "The page has no H1 heading; the title comes from the front matter, if any. "
        "Add a '# Title' line.",
        "the page has no H1 title",
    ),
    # --- HTTP request syntax (read/pages/api) ---
    _rule(
        "request-line",
        "info",
        "A line of the HTTP request section is not a clean request line (no space after the "
        "method, a stray character, a URL without a method); it was read as far as it goes. "
        "Fix the line.",
        "line 43: no space between method and URL",
    ),
    _rule(
        "mixed-methods",
        "info",
        "The HTTP request section uses several methods; the operation takes the first, and "
        "the lines of the other methods are left out. Check the request lines, or split the page.",
        "request lines use POST and PATCH; the PATCH line is left out",
    ),
    _rule(
        "request-line-full-url",
        "info",
        "A request line gives a full URL; its path was used. Nothing to do, or write the path "
        "alone as the docs usually do.",
        "the request syntax gives a full URL; read as /policies/authenticationFlowsPolicy",
    ),
    _rule(
        "path-sample-value",
        "info",
        "A request path gives a sample value (a GUID, an address, a literal function "
        "argument) where a parameter belongs; the path keeps a parameter there instead. "
        "Write the placeholder ({id}, '{period}') in the request syntax.",
        "the request path '/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/unsubmit' "
        "gives sample values (acdefc6b-2dc6-4e71-b1e9-6d9810ab1793); read as "
        "/education/classes/{class-id}/unsubmit",
    ),
    _rule(
        "no-request-path",
        "warning",
        "The HTTP request section of an api page has no request line, so the operation has "
        "no path. Add a fenced 'METHOD /path' line.",
        "the HTTP request section lists no request line",
    ),
    # --- examples and their bodies (read/pages/examples) ---
    _rule(
        "body-unparsable",
        "warning",
        "An example's JSON body does not parse, even after repairs; it is kept as raw text and "
        "makes no typed fixture. Fix the JSON (often a placeholder or a cut).",
        "example at line 189: JSON body does not parse (unparsable JSON: expected ',' or ']')",
    ),
    _rule(
        "json-repaired",
        "info",
        "An example's JSON body had slips that were repaired (trailing comma, comment, single "
        "quotes, unquoted key, ...); the message and the fixture list them. Fix the JSON in the "
        "docs if you can.",
        "example at line 72: repaired trailing-comma",
    ),
    _rule(
        "body-too-deep",
        "warning",
        "An example's JSON body nests deeper than 100 levels and is not kept (a record could "
        "not hold it). Check the example.",
        "example at line 40: body nests deeper than 100 levels; not kept",
    ),
    _rule(
        "body-invalid-unicode",
        "warning",
        "An example's JSON body escapes a lone surrogate (\\ud800); it was replaced by U+FFFD. "
        "Fix the escape.",
        "example at line 40: body escapes a lone surrogate; replaced by U+FFFD",
    ),
    _rule(
        "annotation-invalid",
        "warning",
        "An annotation comment before a fence (<!-- { ... } -->) is not valid JSON and is "
        "ignored. Fix the annotation's JSON.",
        "annotation comment is not valid JSON: expected ':' (line 3)",
    ),
    _rule(
        "annotation-too-deep",
        "warning",
        "An annotation comment nests deeper than 100 levels and is ignored. Check the annotation.",
        "example at line 40: annotation nests deeper than 100 levels; not kept",
    ),
    _rule(
        "annotation-invalid-unicode",
        "warning",
        "An annotation comment escapes a lone surrogate (\\ud800); it was replaced by U+FFFD. "
        "Fix the escape.",
        "example at line 40: annotation escapes a lone surrogate; replaced by U+FFFD",
    ),
    _rule(
        "annotation-gap",
        "info",
        "Prose stands between an annotation comment and its fence; the annotation still "
        "applies to the fence. Move the annotation next to the fence.",
        "prose between annotation and fence",
    ),
    _rule(
        "http-malformed",
        "warning",
        "An HTTP example is malformed (no blank line before the body, no HTTP version, several "
        "requests in one block, ...); it was read as far as it goes. Fix the block.",
        "no blank line before the body",
    ),
    _rule(
        "fence-nested-opener",
        "warning",
        "A code fence holds another fence opener: two examples probably run together. "
        "Close the first fence.",
        "fence holds a second opener",
    ),
    _rule(
        "fence-swallows-content",
        "warning",
        "A code fence holds a '## ' heading or an annotation comment: a fence without its "
        "closer swallowed part of the page. Close the fence.",
        "fence swallows headings or annotations (an opener without a closer?)",
    ),
    # --- tables, types and enums (read/pages/tables, read/pages/resource) ---
    _rule(
        "response-differs",
        "info",
        "The Response section's prose, the response example's annotation and its body say "
        "different things about what the operation returns (type, or collection or not); "
        "the spec keeps the prose, else the annotation. Make them agree.",
        "the response prose says microsoft.graph.directoryObject but the response annotation "
        "microsoft.graph.user; keeping microsoft.graph.directoryObject",
    ),
    _rule(
        "table-header-unexpected",
        "info",
        "A table in a properties or parameters section has an unknown header; its columns were "
        "read as name, type, description. Check the result, or fix the header.",
        "header 'Method | Return Type | Description' read as name | type | description",
    ),
    _rule(
        "table-not-members",
        "info",
        "A table under a Properties or Relationships heading lists no names and types (a colour "
        "table, derived types, limits), or sits under a sub-heading about something else; it is "
        "not read as the type's members. Nothing to do unless it should be.",
        "table 'Pre-set constant | Color mapped to in Outlook' under 'Properties' is not read "
        "as the type's members",
    ),
    _rule(
        "type-cell",
        "warning info",
        "A Type cell is not one clean type. Warning: no type was read (empty, translated or no "
        "type name) and the field is untyped; info: a type was read anyway (an 'X or Y' cell, "
        "extra text). Write one type name or link.",
        "Option: empty type cell ('')",
    ),
    _rule(
        "type-unnamed",
        "warning",
        "A resource page has a properties table, but neither its annotation nor its title names "
        "the type, so no type is recorded. Add the annotation (@odata.type) or a clear title.",
        "a properties table, but neither an annotation nor the title names the type",
    ),
    _rule(
        "no-properties",
        "warning",
        "A resource page has a properties table, but no property was read from it. "
        "Check the table's header (Property | Type | Description).",
        "a properties section but no property",
    ),
    _rule(
        "property-name-localized",
        "warning info",
        "A property name in the table is translated. Warning: the translated name is kept; "
        "info: the JSON representation's unclaimed keys gave the wire names back. "
        "Restore the English name.",
        "property name '更改为' is translated; the JSON representation names it 'to'",
    ),
    _rule(
        "enum-unnamed",
        "info",
        "A members table with no heading or page name that names its enum; it is skipped. "
        "Put it under a heading that names the enum.",
        "member table without an enum name",
    ),
    # --- the spec from all pages (reconcile/) ---
    _rule(
        "page-version-conflict",
        "warning",
        "Copies of one page (in several locales) come from different docs commits; the copy "
        "handed off last (ms.lasthandoff) is used and this one ignored. Update the older copy.",
        "ru-RU/call-redirect.md (commit f27e81d, handed off 12/25/2019) is older than "
        "en-US/call-redirect.md (commit 48fff93, handed off 02/10/2021); using the newer page",
    ),
    _rule(
        "page-without-version",
        "info",
        "An api, resource or enum page has no API version and is left out of the spec. "
        "Put it below v1.0/ or beta/.",
        "no API version could be determined; the page is left out of the spec",
    ),
    _rule(
        "duplicate-operation-id",
        "info",
        "Several pages of one version document the same request (method and path). Pages "
        "answering the same type are one operation (the first page speaks for it); a page "
        "answering another type documents the request for that type, and its operation is "
        "named as if the path cast to it. Nothing to do unless the pages should differ.",
        "'deviceAppManagement.mobileApps.create' in beta is documented for several types; "
        "this page's (androidStoreApp) is named "
        "'deviceAppManagement.mobileApps.androidStoreApp.create'",
    ),
    _rule(
        "operation-id-differs",
        "info",
        "v1.0 and beta name one operation (same method and paths) differently; both are merged "
        "under one id. Nothing to do, or align the names in the docs.",
        "v1.0 names this operation 'accessReviewInstance.stop' (...) and beta "
        "'identityGovernance.accessReviews.definitions.instances.stop.post'; ...",
    ),
    _rule(
        "parameter-type-differs",
        "info",
        "A parameter has different types in v1.0 and beta; each version's spec view, OpenAPI "
        "and models keep their own (the beta facts in the parameter's overrides). Check which "
        "one is right.",
        "Chart.setData: parameter 'sourceData' is microsoft.graph.Json in v1.0 (...) "
        "but Edm.String in beta; each version keeps its own",
    ),
    _rule(
        "property-type-differs",
        "info",
        "A property or relationship has different types in v1.0 and beta; each version's spec "
        "view, OpenAPI and models keep their own (the beta facts in the member's overrides). "
        "Check which one is right.",
        "microsoft.graph.application: property 'tokenEncryptionKeyId' is Edm.String in v1.0 "
        "(...) but Edm.Guid in beta; each version keeps its own",
    ),
    _rule(
        "duplicate-type",
        "info",
        "Several pages of one version define the same type (Intune's pages redefine user, "
        "organization, deviceManagement with a member or two). The type's own page (named "
        "after it, else the one whose annotation declares it with the most members) gives "
        "its description, base type, key and flags; the members of every page are merged, "
        "each with the page and line it came from. Nothing is lost; nothing to do.",
        "type 'microsoft.graph.user' in v1.0 is defined by its own page .../user.md and by "
        "this page too; this page's members are merged into it (0 added)",
    ),
    _rule(
        "member-type-conflict",
        "warning",
        "Two pages that define one type in one version give a member different types; the "
        "type's own page (or the first page that lists the member) wins. Fix the other page.",
        "microsoft.graph.user (v1.0): 'managedDevices' is microsoft.graph.device collection "
        "here but microsoft.graph.managedDevice collection on .../user.md; keeping "
        "microsoft.graph.managedDevice collection",
    ),
    _rule(
        "unresolved-type",
        "warning",
        "A type is named but no page defines it, it is no enum and no example's @odata.type "
        "shows it; fields of that type are untyped in the models. Fix the name or add the page.",
        "type 'microsoft.graph.securityerrorcodes' is neither defined by a page, nor an enum, "
        "nor shown by any example's @odata.type",
    ),
    # --- fixtures against the generated models (render/fixtures) ---
    _rule(
        "fixture-invalid",
        "warning",
        "An example's body does not load into the generated model of its type; pydantic's first "
        "reasons are given. Fix the example, or the type documented for the field.",
        "beta/.../example-response does not load into the model of "
        "microsoft.graph.accessReviewHistoryDefinition (beta): status: Input should be ...",
    ),
    _rule(
        "fixture-unvalidated",
        "info",
        "A fixture was not checked: the model it needs could not be used (the code generator's "
        "fault, not the page's). Report it with the message.",
        "v1.0/call-redirect/call-redirect-1-request: request body of call.redirect could not be "
        "used: TypeError: ...",
    ),
    _rule(
        "models-import-failed",
        "error",
        "The generated models of a version do not import, so none of its fixtures is checked. "
        "A bug in the code generator: report it with the message.",
        "the generated models do not import: SyntaxError: invalid syntax (types.py, line 12)",
    ),
)
# the strict check of examples against their pages (render/fixtures/strict)
DIAGNOSTIC_RULES += EXAMPLE_RULES
