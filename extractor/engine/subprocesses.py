"""Helper processes a build starts beside itself (the file writer, the version diff, the
spare's check), on the second core while it works on the first.

Each is a fresh interpreter, not a fork: a fork of a build holding a million objects made
every page either process then wrote to a copy, and cost more than the helper saved. Each
is a module of this package whose ``main`` runs (``_BOOT``), with the package found where
the build found it, and answers once, on its standard output. This module imports only the
standard library: helpers that need no more run isolated (``python -I -S``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

__all__ = ["Helper", "helper_arguments"]

_PR_SET_PDEATHSIG = 1
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
#: A helper's command: the package's folder, the module, its arguments, the build's id.
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from importlib import import_module; import_module(sys.argv[2]).main()"
)


def helper_arguments() -> list[str]:
    """In a helper's ``main``, first thing: its arguments. Ctrl-C reaches the whole process
    group, and the build decides when its helpers stop; a build killed outright takes its
    helpers along (Linux), so none writes into a folder the next build removes; and a
    helper whose build was gone before that took effect leaves at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with suppress(OSError, AttributeError, ImportError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != int(sys.argv[-1]):
        os._exit(1)
    return sys.argv[3:-1]


class Helper:
    """A helper process of this build: ``module``'s ``main`` with ``arguments``, isolated
    from site-packages and the environment when it needs only the standard library; one
    that cannot start has no answer."""

    def __init__(
        self,
        module: str,
        arguments: list[str],
        *,
        isolated: bool = False,
        takes_input: bool = False,
    ) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        flags = ["-I", "-S"] if isolated else []
        command = [*flags, "-c", _BOOT, _PACKAGE_PARENT, module, *arguments, str(os.getpid())]
        with suppress(OSError, ValueError):
            self.process = subprocess.Popen(
                [sys.executable, *command],
                stdin=subprocess.PIPE if takes_input else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )

    def answer(self) -> bytes | None:
        """What it printed, once it ended well; None when it could not start, failed or died.
        The helper is over either way."""
        process, self.process = self.process, None
        if process is None:
            return None
        try:
            output, _ = process.communicate()
        except (OSError, ValueError):
            output = None
        _end(process)
        return output if process.returncode == 0 else None

    def end(self) -> None:
        """Stop it if it still runs (the build failed, or no longer needs it)."""
        process, self.process = self.process, None
        if process is not None:
            _end(process)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with suppress(OSError):
            process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with suppress(OSError):
                stream.close()
