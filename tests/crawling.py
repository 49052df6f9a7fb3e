"""Helpers for crawl tests: a sources file for a local site, and `sankofa` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
