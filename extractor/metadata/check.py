"""check-metadata's functions: read the metadata and the docs, align them, report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.metadata import MetadataError
from extractor.metadata.csdl import VERSIONS, Csdl, CsdlError, read_csdl
from extractor.metadata.docs import (
    PageLines,
    RequestExample,
    SpecError,
    examples_beside,
    examples_from_fixtures,
)
from extractor.metadata.findings import Alignment
from extractor.metadata.report import FORMATS, render
from extractor.metadata.rules import RULES_BY_ID
from extractor.schema import BuildResult, UnifiedSpec


@dataclass
class Docs:
    """What is held against the metadata: the spec in its JSON form, the lines of what
    the pages say (when the pages were read) and the request examples (when known)."""

    spec: Mapping[str, Any]
    lines: PageLines | None = None
    examples: list[RequestExample] = field(default_factory=list)


def docs_of(result: BuildResult, lines: PageLines | None = None) -> Docs:
    """The docs of a build in memory: its spec and the request examples of its fixtures."""
    spec = result.spec.model_dump(mode="json", by_alias=True)
    return Docs(spec, lines, examples_from_fixtures(result.fixtures))


def load_docs(
    inputs: Sequence[str | Path],
    jobs: int | None = None,
    cache_dir: Path | None = None,
    version: str | None = None,
) -> Docs:
    """A built ``spec.json`` (with the request examples of ``version``'s actions from the
    ``fixtures/`` beside it, if any), or the pages below ``inputs`` read and reconciled
    here (with their lines and all their examples)."""
    import orjson

    if len(inputs) == 1 and str(inputs[0]).endswith(".json") and Path(inputs[0]).is_file():
        path = Path(inputs[0])
        try:
            spec = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as error:
            raise MetadataError(f"{path} is not a spec.json: {error}") from error
        if not isinstance(spec, dict) or not isinstance(spec.get("operations"), list):
            raise MetadataError(f"{path} is not a spec.json: no list of operations")
        actions = {
            op.get("id")
            for op in spec["operations"]
            if isinstance(op, dict) and op.get("kind") == "action"
        }
        return Docs(spec, None, examples_beside(path, actions, version))
    from extractor.engine.records import extract_records
    from extractor.read.corpus import InputError, discover
    from extractor.reconcile import reconcile

    try:
        pages = discover(inputs)
    except InputError as error:
        raise MetadataError(str(error)) from error
    records = extract_records(pages, jobs=jobs, cache_dir=cache_dir).records
    return docs_of(reconcile(records), PageLines(records))


def read_metadata(path: str | Path) -> Csdl:
    try:
        return read_csdl(path)
    except CsdlError as error:
        raise MetadataError(str(error)) from error


def metadata_version(csdl: Csdl, option: str | None, hint: str = "give --version") -> str:
    """The API version a metadata file describes: its name's, else the option's; a name
    and an option that disagree are an error rather than a guess."""
    said = csdl.version
    if option is not None and option not in VERSIONS:
        raise MetadataError(f"unknown API version {option!r} (v1.0 or beta)")
    if said is not None and option is not None and said != option:
        raise MetadataError(
            f"{csdl.source} is named for {said}, but --version says {option}; rename it or "
            "drop the option"
        )
    version = said or option
    if version is None:
        raise MetadataError(
            f"cannot tell the API version of {csdl.source} (its name says neither v1.0 nor "
            f"beta): {hint}"
        )
    return version


def check_metadata(
    metadata: str | Path | Csdl,
    docs: Docs | UnifiedSpec | Mapping[str, Any],
    version: str | None = None,
) -> Alignment:
    """Every disagreement between the docs and a metadata file, with the summary.

    ``metadata`` is a CSDL file (or one already read); ``docs`` the docs as ``load_docs``
    or ``docs_of`` gives them, or just a spec (or its JSON form); ``version`` the API
    version, needed when the file's name does not say it."""
    from extractor.metadata.align import align

    csdl = metadata if isinstance(metadata, Csdl) else read_metadata(metadata)
    chosen = metadata_version(csdl, version)
    if not isinstance(docs, Docs):
        spec = (
            docs.model_dump(mode="json", by_alias=True) if isinstance(docs, UnifiedSpec) else docs
        )
        docs = Docs(spec)
    try:
        return align(docs.spec, chosen, csdl, docs.lines, docs.examples)
    except SpecError as error:
        raise MetadataError(str(error)) from error


#: ``--fail-on`` values besides rule ids.
FAIL_ON_LEVELS = ("any", "warning", "info")


def check_fail_on(fail_on: Sequence[str]) -> None:
    unknown = [v for v in fail_on if v not in FAIL_ON_LEVELS and v not in RULES_BY_ID]
    if unknown:
        raise MetadataError(
            f"--fail-on {unknown[0]}: not a rule id nor one of {', '.join(FAIL_ON_LEVELS)}"
        )


def failing(alignment: Alignment, fail_on: Sequence[str]) -> bool:
    """Whether a finding matches ``fail_on``: ``any``/``info`` (every finding), ``warning``
    (warnings), or rule ids."""
    check_fail_on(fail_on)
    wanted = set(fail_on)
    return any(
        wanted & {"any", "info", finding.rule}
        or ("warning" in wanted and finding.severity == "warning")
        for finding in alignment.findings
    )


def run_check(
    metadata: str | Path,
    inputs: Sequence[str | Path],
    *,
    version: str | None = None,
    output_format: str = "md",
    report_dir: Path | None = None,
    fail_on: Sequence[str] = (),
    jobs: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[str, bool]:
    """The command: the report's text and whether ``fail_on`` matched. The metadata and
    the options are checked before the docs are read (which can take a while)."""
    check_fail_on(fail_on)
    if output_format not in FORMATS:
        raise MetadataError(f"unknown format {output_format!r}")
    csdl = read_metadata(metadata)
    chosen = metadata_version(csdl, version)
    alignment = check_metadata(csdl, load_docs(inputs, jobs, cache_dir, chosen), chosen)
    return render(alignment, output_format, report_dir), failing(alignment, fail_on)
