"""Running Prism (``@stoplight/prism-cli mock``) on a per-tag document on loopback, and
asking it for a documented example."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
#: Where ``.ci/run`` installs the node tools (``npm install --prefix .tools``).
TOOLS = REPO / ".tools" / "node_modules" / ".bin"
START_LIMIT = 120.0


def tool(name: str) -> str | None:
    """The installed node tool ``name`` (the repository's ``.tools`` first), if node is here."""
    if shutil.which("node") is None:
        return None
    local = TOOLS / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Prism:
    """``prism mock`` on one document, on 127.0.0.1, stopped (its own process only) on exit."""

    def __init__(self, prism: str, document: Path, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.started = time.perf_counter()
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [prism, "mock", "-h", "127.0.0.1", "-p", str(self.port), str(document)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "NO_COLOR": "1"},
            )
        self.seconds = self._wait()

    def _wait(self) -> float:
        while time.perf_counter() - self.started < START_LIMIT:
            if "Prism is listening" in self.log.read_text(errors="replace"):
                return time.perf_counter() - self.started
            if self.process.poll() is not None:
                raise RuntimeError(f"prism exited: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"prism did not start within {START_LIMIT:.0f} s on {self.log}")

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers, method="GET"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Prism:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


_PARAM = re.compile(r"\{([^{}]*)\}")


def request_for(
    template: str, operation: dict[str, Any], status: str, example: str
) -> tuple[str, dict[str, str]]:
    """The path (parameters filled in) and headers asking for one documented example."""
    path = _PARAM.sub("x1", template)
    headers = {
        "Authorization": "Bearer token",
        "Accept": "application/json",
        "Prefer": f"code={status}, example={example}",
    }
    for param in operation.get("parameters", []):
        if param.get("in") == "header" and param.get("required"):
            headers.setdefault(param["name"], "eventual")
    return path, headers
