#!/usr/bin/env python3
"""Set up Sankofa in ./.venv (once) and run it: the README's two quick-start commands.

    python3 run.py crawl [sankofa crawl options]   crawl the bundled sources into the default DB
    python3 run.py test  [pytest options]          lint, type-check, check the import contracts
                                                    and run the whole test suite
    python3 run.py COMMAND [options]               any other sankofa command, e.g. demo, stats

Needs only Python 3.11+; everything else comes from the package index into .venv.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".sankofa-installed"


def _run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    """Create .venv and install Sankofa with its test tools, unless already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py is the one file older Pythons read
        sys.exit(f"Sankofa needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("creating .venv ...", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("installing Sankofa and its dependencies into .venv ...", file=sys.stderr)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(_wanted_stamp())


def run_tests(extra: list[str]) -> int:
    _run(BIN / "ruff", "check", ".")
    _run(BIN / "ruff", "format", "--check", ".")
    _run(BIN / "mypy")
    _run(BIN / "lint-imports", "--no-cache")  # the architecture's contracts (pyproject.toml)
    return subprocess.run([BIN / "python", "-m", "pytest", *extra], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    ensure_environment()
    if argv[0] == "test":
        return run_tests(argv[1:])
    return subprocess.run([BIN / "sankofa", *argv], cwd=ROOT).returncode


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
