"""Shared fixtures: the seed pages, the real corpus, and records built once per session."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from extractor.engine.records import extract_records
from extractor.read.corpus import discover
from extractor.read.pages import build_record
from extractor.reconcile import Reconciliation, reconciliation
from extractor.schema import BuildResult, PageRecord

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
ZH_CN = SHARED_CORPUS / "zh-CN" / "api-reference"
SAMPLES = SHARED_CORPUS / "samples"

SEED_FILES = {
    "v1_redirect": "000_0cb95b7642379844.txt",
    "beta_redirect": "001_62bb142bd2d8a852.txt",
    "ru_redirect_2019": "002_23f97dc4af16424e.txt",
    "beta_transfer": "003_9aae2b038558e1dd.txt",
    "v1_create_call": "004_2dd72875b6ea4c4c.txt",
}


def record_of(path: Path) -> PageRecord:
    return build_record(path.as_posix(), path.read_bytes())


def need_corpus() -> None:
    if not ZH_CN.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")


@pytest.fixture(scope="session")
def seeds() -> dict[str, PageRecord]:
    return {key: record_of(SEEDS / name) for key, name in SEED_FILES.items()}


@pytest.fixture(scope="session")
def real_page():
    """Build the record of a real zh-CN page by its path below api-reference/."""
    need_corpus()

    def build(relative: str) -> PageRecord:
        return record_of(ZH_CN / relative)

    return build


@pytest.fixture(scope="session")
def zh_cn_records(tmp_path_factory: pytest.TempPathFactory) -> list[PageRecord]:
    """Every zh-CN page's record, built once (in parallel) for all slow tests."""
    need_corpus()
    cache = tmp_path_factory.mktemp("record-cache")
    records, _, _ = extract_records(discover([ZH_CN.parent]), jobs=2, cache_dir=cache)
    gc.collect()
    gc.freeze()  # kept for the session: later timing tests must not pay GC passes over them
    return records


@pytest.fixture(scope="session")
def zh_cn_reconciliation(zh_cn_records: list[PageRecord]) -> Reconciliation:
    """The whole zh-CN corpus reconciled, once for all slow tests. Shared: a test that
    changes something copies it first (``update`` and the renderers leave it as it is)."""
    parts = reconciliation(zh_cn_records)
    gc.collect()
    gc.freeze()
    return parts


@pytest.fixture(scope="session")
def zh_cn_result(zh_cn_reconciliation: Reconciliation) -> BuildResult:
    """``reconcile(zh_cn_records)``: the spec, fixtures and diagnostics of the whole corpus."""
    return zh_cn_reconciliation.result()


@pytest.fixture(scope="session")
def sample_records() -> dict[str, list[PageRecord]]:
    need_corpus()
    result = {}
    for folder in sorted(SAMPLES.iterdir()):
        records, _, _ = extract_records(discover([folder]), jobs=2, cache_dir=None)
        result[folder.name] = records
    gc.collect()
    gc.freeze()
    return result
