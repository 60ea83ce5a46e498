"""Input the CLI cannot read, or output it cannot write: one line on stderr, exit 2, no traceback.

Every case runs the real command in a child process (``python -m extractor``), as a user's
shell or Makefile would. Tests run as root in CI, where ``chmod 000`` blocks nothing, so a
denied read is simulated in the child as well as tried for real when not root.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "corpus" / "000_0cb95b7642379844.txt"


def run(cwd: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process; ``code`` replaces ``-m extractor`` (to patch first)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache"), "LC_ALL": "C"}
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "extractor"]
    if not code:
        command += args
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_one_line(done: subprocess.CompletedProcess[str], message: str, code: int = 2) -> None:
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr.splitlines()) == (code, [f"extractor: {message}"])


def assert_partial(done: subprocess.CompletedProcess[str], *unreadable: str) -> None:
    """Exit 3, the last line names the files not read; the other pages were read."""
    assert "Traceback" not in done.stderr
    assert done.returncode == 3, done.stderr
    shown = "; ".join(unreadable)
    assert done.stderr.splitlines()[-1] == (
        f"extractor: partial: {len(unreadable)} file(s) could not be read ({shown})"
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "page.md").write_bytes(SEED.read_bytes())
    return tmp_path


@pytest.mark.parametrize("command", ["extract", "build"])
def test_missing_path(workdir: Path, command: str) -> None:
    done = run(workdir, command, "page.md", "missing.md", "--no-cache")
    assert_one_line(done, "no such file or directory: missing.md")
    assert done.stdout == ""
    assert not (workdir / "output").exists()


def test_missing_spec_for_diff(workdir: Path) -> None:
    assert_one_line(
        run(workdir, "diff", "old.json", "page.md"), "no such file or directory: old.json"
    )


def test_a_file_used_as_a_folder(workdir: Path) -> None:
    done = run(workdir, "extract", "page.md/child.md")
    assert_one_line(done, "cannot read page.md/child.md: Not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; see the simulation")
def test_permission_denied_for_real(workdir: Path) -> None:
    (workdir / "page.md").chmod(0)
    try:
        assert_one_line(
            run(workdir, "extract", "page.md"), "cannot read page.md: permission denied"
        )
    finally:
        (workdir / "page.md").chmod(0o644)


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod 000 folder; see the simulation")
def test_unreadable_folder_for_real(workdir: Path) -> None:
    folder = workdir / "pages"
    folder.mkdir()
    folder.chmod(0)
    try:
        done = run(workdir, "extract", "pages")
        assert_one_line(done, "cannot read pages: Permission denied")
    finally:
        folder.chmod(0o755)


def test_permission_denied_simulated(workdir: Path) -> None:
    """As root nothing is denied, so the child is told that nothing is readable."""
    code = (
        "import os, sys; os.access = lambda *args, **kwargs: False; "
        "from extractor.cli import main; sys.argv[0] = 'extractor'; main()"
    )
    done = run(workdir, "extract", "page.md", code=code)
    assert_one_line(done, "cannot read page.md: permission denied")


def test_unlistable_folder_simulated(workdir: Path) -> None:
    """A folder that cannot be listed: os.walk reports it through its onerror hook."""
    folder = workdir / "pages"
    folder.mkdir()
    (folder / "a.md").write_bytes(SEED.read_bytes())
    code = (
        "import os, sys\n"
        "def denied(path, *args, **kwargs):\n"
        "    raise PermissionError(13, 'Permission denied', str(path))\n"
        "os.scandir = denied\n"
        "from extractor.cli import main; sys.argv[0] = 'extractor'; main()"
    )
    done = run(workdir, "extract", "pages", code=code)
    assert_one_line(done, "cannot read pages: Permission denied")


def test_unlistable_folder_below_is_a_diagnostic(workdir: Path) -> None:
    """A folder below the one named that cannot be listed: a record for it, the rest read."""
    (workdir / "pages" / "locked").mkdir(parents=True)
    (workdir / "pages" / "a.md").write_bytes(SEED.read_bytes())
    code = (
        "import os, sys\n"
        "real = os.scandir\n"
        "def denied(path, *args, **kwargs):\n"
        "    if str(path).endswith('locked'):\n"
        "        raise PermissionError(13, 'Permission denied', str(path))\n"
        "    return real(path, *args, **kwargs)\n"
        "os.scandir = denied\n"
        "from extractor.cli import main; sys.argv[0] = 'extractor'; main()"
    )
    done = run(workdir, "extract", "pages", code=code)
    assert_partial(done, "pages/locked: cannot read the folder: Permission denied")
    assert '"path":"pages/a.md"' in done.stdout


def test_symlink_loop_given(workdir: Path) -> None:
    (workdir / "loop.md").symlink_to("loop.md")
    done = run(workdir, "extract", "loop.md")
    assert_one_line(done, "cannot read loop.md: Too many levels of symbolic links")


def test_symlink_loop_and_dangling_link_in_a_folder(workdir: Path) -> None:
    folder = workdir / "pages"
    folder.mkdir()
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    (folder / "c.md").write_bytes(SEED.read_bytes())
    done = run(workdir, "extract", "pages")
    loop = "Too many levels of symbolic links"
    assert_partial(done, f"pages/a.md: {loop}", f"pages/b.md: {loop}")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["source"]["path"], [d["rule"] for d in r["diagnostics"]]) for r in records][:2] == [
        ("pages/a.md", ["unreadable"]),
        ("pages/b.md", ["unreadable"]),
    ]
    for name in ("a.md", "b.md"):
        (folder / name).unlink()
    (folder / "gone.md").symlink_to("nowhere.md")
    done = run(workdir, "extract", "pages")
    assert_partial(done, "pages/gone.md: No such file or directory")


def test_fifo_is_refused_instead_of_read_forever(workdir: Path) -> None:
    """Reading a FIFO blocks until a writer comes: the build hung on one (timeout 120 s)."""
    os.mkfifo(workdir / "pipe.md")
    assert_one_line(run(workdir, "extract", "pipe.md"), "cannot read pipe.md: not a regular file")
    folder = workdir / "pages"
    folder.mkdir()
    (folder / "a.md").write_bytes(SEED.read_bytes())
    os.mkfifo(folder / "b.md")
    done = run(workdir, "build", "pages", "--no-cache")
    assert_partial(done, "pages/b.md: not a regular file")
    diagnostics = json.loads((workdir / "output" / "diagnostics.json").read_text())
    unreadable = [d for d in diagnostics["diagnostics"] if d["rule"] == "unreadable"]
    assert [(d["path"], d["message"]) for d in unreadable] == [
        ("pages/b.md", "cannot read the page: not a regular file")
    ]
    assert "pages/a.md" in (workdir / "output" / "spec.json").read_text()


def test_directory_as_the_output_file_of_extract(workdir: Path) -> None:
    (workdir / "out").mkdir()
    done = run(workdir, "extract", "page.md", "-o", "out", "--no-cache")
    assert_one_line(done, "out is a directory, not a file")
    assert list((workdir / "out").iterdir()) == []


def test_output_file_in_a_missing_folder(workdir: Path) -> None:
    done = run(workdir, "extract", "page.md", "-o", "nowhere/records.jsonl", "--no-cache")
    assert_one_line(done, "cannot write nowhere/records.jsonl: No such file or directory")


def test_existing_file_as_the_output_dir_of_build(workdir: Path) -> None:
    (workdir / "out").write_text("keep me\n")
    done = run(workdir, "build", "page.md", "-o", "out", "--no-cache")
    assert_one_line(done, "out exists and is not a directory")
    assert (workdir / "out").read_text() == "keep me\n"


def test_output_dir_below_a_file_fails_before_building(workdir: Path) -> None:
    (workdir / "out").write_text("keep me\n")
    done = run(workdir, "build", "page.md", "-o", "out/site", "--no-cache")
    assert_one_line(done, "cannot write out/site: out is not a directory")  # no "pages:" summary
    assert (workdir / "out").read_text() == "keep me\n"


def test_directory_as_the_output_file_of_diff(workdir: Path) -> None:
    (workdir / "out").mkdir()
    done = run(workdir, "diff", "page.md", "page.md", "-o", "out", "--no-cache")
    assert_one_line(done, "cannot write out: Is a directory")


def test_a_json_file_that_is_no_spec(workdir: Path) -> None:
    (workdir / "old.json").write_text('{"operations": 3}')
    done = run(workdir, "diff", "old.json", "page.md", "--no-cache")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("extractor: old.json is not a spec.json: ")


def test_good_input_still_works(workdir: Path) -> None:
    """The checks above refuse bad input only: a plain page is extracted, exit 0."""
    done = run(workdir, "extract", "page.md", "--no-cache")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("\n") == 1
    assert '"path":"page.md"' in done.stdout
