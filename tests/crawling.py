"""Helpers for crawl tests: a sources file for a local site, and `sankofa` in a subprocess
(a command, or `sankofa serve` for as long as a block runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.local_server import free_port

REPO = Path(__file__).resolve().parent.parent
FAST_LOCAL = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "RETRY_TIMES=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "SANKOFA_EXTRACT_WORKERS=1",
]  # fmt: skip


def write_sources(folder: Path, base_url: str, name: str = "testblog", extra: str = "") -> Path:
    path = folder / "sources.toml"
    path.write_text(
        f'[[sources]]\nname = "{name}"\nurl = "{base_url}/"\ncountry = "SN"\n{extra}\n',
        encoding="utf-8",
    )
    return path


def python_output(code: str, stdin: str | None = None, hash_seed: str | None = None) -> str:
    """What a fresh Python process running ``code`` in the repository prints: it imports
    and holds state as a crawl's or a worker's process would."""
    env = {**os.environ, **({"PYTHONHASHSEED": hash_seed} if hash_seed else {})}
    run = subprocess.run(
        [sys.executable, "-c", code], input=stdin, cwd=REPO, env=env,
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return run.stdout


def sankofa(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process (Twisted's reactor is one-shot)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def export(db_url: str, *filters: str) -> list[dict[str, Any]]:
    result = sankofa("export", "--format", "jsonl", "--db", db_url, *filters)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


class ServeDidNotStart(RuntimeError):
    """`sankofa serve` exited or did not answer in time; str() ends with its output."""


@contextmanager
def sankofa_serve(
    db_url: str, log_path: Path, *, start_seconds: float
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`sankofa serve --db db_url` on a free port, its output into `log_path`; yields the
    process and its port once it answers, and stops it (SIGTERM, then SIGKILL) after."""
    port = free_port()
    command = [sys.executable, "-m", "crawler.cli", "serve", "--db", db_url, "--port", str(port)]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_answering(server, port, log_path, start_seconds)
            yield server, port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_answering(
    server: subprocess.Popen[bytes], port: int, log_path: Path, start_seconds: float
) -> None:
    url = f"http://127.0.0.1:{port}/api/openapi.json"
    deadline = time.monotonic() + start_seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            output = log_path.read_text(encoding="utf-8", errors="replace")
            raise ServeDidNotStart(
                f"sankofa serve did not answer on port {port} (exit {server.poll()}):\n{output}"
            )
        time.sleep(0.1)
