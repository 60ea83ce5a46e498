"""The wheel carries the templates: build it, install it in a fresh venv, run a build elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "corpus"
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "extractor", "templates")


def run(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def has_build_command() -> bool:
    try:
        from extractor.cli import main
    except ImportError:
        return False
    return "build" in getattr(main, "commands", {})


@pytest.mark.slow
def test_wheel_installs_and_builds_from_another_directory(tmp_path: Path) -> None:
    if not has_build_command():
        pytest.skip("`extractor build` is not available yet")
    # Build from a copy so that the checkout gets no build/ or egg-info directories.
    source = tmp_path / "source"
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif origin.is_file():
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    dist = tmp_path / "dist"
    run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(dist), "-q"],
        tmp_path,
    )
    (wheel,) = dist.glob("extractor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        f"extractor/templates/models/{name}"
        for name in ("_macros.j2", "base.py.j2", "module.py.j2", "package_init.py.j2")
    }
    assert expected <= names, sorted(n for n in names if "templates" in n)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", str(wheel)], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run([str(python), "-c", "import extractor; print(extractor.__file__)"], elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    out = tmp_path / "out"
    run(
        [str(venv / "bin" / "extractor"), "build", str(SEEDS), "-o", str(out), "--no-cache"],
        elsewhere,
    )
    assert (out / "models" / "__init__.py").is_file()
    assert (out / "models" / "v1_0" / "_base.py").is_file()
    assert (out / "models" / "beta" / "operations.py").is_file()
    index = json.loads((out / "fixtures" / "index.json").read_text(encoding="utf-8"))
    assert index and any(entry["valid"] is True for entry in index)
    assert all((out / "fixtures" / entry["file"]).is_file() for entry in index)
    assert list((out / "fixtures" / "cassettes").rglob("*.yaml"))

    probe = (
        "import models.beta as beta\n"
        "request = beta.OPERATION_REQUEST_INDEX['call.redirect']\n"
        "print(sorted(request.model_fields))\n"
    )
    fields = run([str(python), "-c", probe], out).stdout
    assert "'mask_callee'" in fields and "'targets'" in fields
