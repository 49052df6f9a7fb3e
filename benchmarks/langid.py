"""Compare Sankofa's language identifier with each of its two detectors on their own.

    python -m benchmarks.langid [--set sentences|paragraphs|both] [--scorer PATH]

Runs the shared NTREX-128 scorer (../shared/benchmarks/langid/score_langid.py) once per
target, each in a fresh process so that model loading and caches do not leak between
them, and prints its tables. The baselines are importable as scorer targets too:

    python ../shared/benchmarks/langid/score_langid.py benchmarks.langid:langdetect_only
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import py3langid
from langdetect import DetectorFactory
from langdetect import detect as langdetect_detect
from langdetect.lang_detect_exception import LangDetectException

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_SCORER = PROJECT.parent / "shared" / "benchmarks" / "langid" / "score_langid.py"
TARGETS = {
    "sankofa": "crawler.lang.detect:detect",
    "langdetect only": "benchmarks.langid:langdetect_only",
    "py3langid only": "benchmarks.langid:py3langid_only",
}

DetectorFactory.seed = 0  # langdetect is random without it


def langdetect_only(text: str) -> str:
    """langdetect 1.0.9 as shipped (seeded, all 55 profiles); "und" when it gives up."""
    try:
        code: str = langdetect_detect(text)
    except LangDetectException:
        return "und"
    return code.split("-")[0]  # zh-cn, zh-tw


def py3langid_only(text: str) -> str:
    """py3langid as shipped: its full model, its own labels (wuu, arz ... count as wrong)."""
    code: str = py3langid.classify(text)[0]
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="both", choices=["sentences", "paragraphs", "both"])
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    args = parser.parse_args()
    if not args.scorer.is_file():
        print(f"scorer not found: {args.scorer} (pass --scorer)", file=sys.stderr)
        return 2
    for name, target in TARGETS.items():
        print(f"\n===== {name} ({target})", flush=True)
        command = [sys.executable, str(args.scorer), target, "--set", args.set]
        completed = subprocess.run(command, cwd=PROJECT, check=False)
        if completed.returncode:
            return completed.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
