"""Opt-in profiles of a crawl's threads and processes, for benchmarks.throughput.

With $SANKOFA_PROFILE_DIR set, each thread that calls profile_thread is profiled with
cProfile into DIR/<name>-<pid>.prof, written at interpreter exit. cProfile sees only the
thread it was enabled in, so each thread worth seeing (an extraction worker's, the writer's)
asks for its own. Unset, nothing is done.
"""

from __future__ import annotations

import atexit
import cProfile
import os
from pathlib import Path
from typing import Final

PROFILE_DIR_ENV: Final = "SANKOFA_PROFILE_DIR"


def profile_thread(name: str) -> None:
    folder = os.environ.get(PROFILE_DIR_ENV)
    if not folder:
        return
    profiler = cProfile.Profile()
    atexit.register(profiler.dump_stats, str(Path(folder) / f"{name}-{os.getpid()}.prof"))
    profiler.enable()
