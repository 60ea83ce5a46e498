"""The per-page stage on a local Dask cluster gives output byte-identical to a local build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, ZH_CN

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build(args: list[str], cwd: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "extractor", "build", *args, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr


def test_dask_cluster_output_is_byte_identical(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in SEEDS.iterdir():
        (pages / seed.name).write_bytes(seed.read_bytes())
    if ZH_CN.is_dir():  # and a slice of real pages, so work really spreads over workers
        for page in sorted((ZH_CN / "v1.0" / "api").glob("call-*.md"))[:40]:
            (pages / page.name).write_bytes(page.read_bytes())
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        build(
            [
                "pages",
                "-o",
                "dask-out",
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
            ],
            tmp_path,
        )
    build(["pages", "-o", "local-out", "-j", "2"], tmp_path)
    local, remote = tree(tmp_path / "local-out"), tree(tmp_path / "dask-out")
    assert len(local) > 100
    assert remote == local
