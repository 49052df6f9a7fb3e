"""py3langid's restricted model as plain arrays on disk, memory-mapped by every process.

py3langid ships its model as one LZMA-compressed archive: each process that loads it
decompresses 28 MB of weights, widens them to float32 (numpy multiplies float16 slowly) and
keeps its own copy, about 100 MB and 0.6 s of CPU per crawl worker. Restricted once and
written uncompressed under the user's cache folder, the same arrays are memory-mapped
instead: loading costs next to nothing and the operating system keeps one copy for all
processes. (Keeping the weights float16 and widening only the rows a text touches would
halve the file, but costs 16% more time per text: measured, not worth it.)

The folder is named after what decides its content (py3langid's model file, the candidate
rules, this format), so a change to any of them writes a new one. When no cache folder can
be written, the arrays are built in memory as before: the answers are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

FORMAT = 1  # bump when the files written here change
_LABELS = "classes.json"  # written last: a folder without it is incomplete


@dataclass(frozen=True, slots=True)
class ModelArrays:
    """What ``LanguageIdentifier`` is built from."""

    ptc: Any  # (features, classes) float32 weights
    pc: Any  # (classes,) float32 priors
    classes: list[str]
    nextmove: Any  # the tokenizer's DFA rows, indexable by int
    row: Any  # state -> DFA row, indexable by int
    output: Any  # state -> feature, or -1, indexable by int

    def identifier(self) -> Any:
        return LanguageIdentifier(
            self.ptc,
            self.pc,
            self.classes,
            self.nextmove,
            self.output,
            norm_probs=True,
            tk_row=self.row,
        )


def restricted_arrays(keep: Callable[[str], bool]) -> ModelArrays:
    """The arrays of py3langid's model, its classes narrowed to those ``keep`` accepts."""
    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    kept = [i for i, label in enumerate(full.nb_classes) if keep(label)]
    return ModelArrays(
        ptc=full.nb_ptc[:, kept].astype("float32", order="C"),
        pc=full.nb_pc[kept],
        classes=[full.nb_classes[i] for i in kept],
        nextmove=full.tk_nextmove,
        row=full.tk_row,
        output=full.tk_output,
    )


def cached_arrays(keep: Callable[[str], bool], rules: str) -> ModelArrays:
    """``restricted_arrays(keep)``, memory-mapped from the cache folder (written on first
    use); built in memory when the folder cannot be written or read. ``rules`` describes
    ``keep``: a change to it must change the text."""
    try:
        folder = cache_root() / f"py3langid-{_fingerprint(rules)}"
        if not (folder / _LABELS).is_file():
            arrays = restricted_arrays(keep)
            if not _write(folder, arrays):
                return arrays
        return _mapped(folder)
    except (OSError, RuntimeError, ValueError):  # no home folder, or a damaged file
        return restricted_arrays(keep)


def cache_root() -> Path:
    """$SANKOFA_CACHE_DIR, else sankofa/ under $XDG_CACHE_HOME (usually ~/.cache)."""
    explicit = os.environ.get("SANKOFA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sankofa"


def _fingerprint(rules: str) -> str:
    model = MODEL_DIR / MODEL_FILE
    state = model.stat()
    described = f"{FORMAT}|{model.name}|{state.st_size}|{state.st_mtime_ns}|{rules}"
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:16]


def _write(folder: Path, arrays: ModelArrays) -> bool:
    """Write the arrays into ``folder`` all at once (a rename), so that a process starting
    beside this one sees all of them or none; whether the folder now holds them."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    except OSError:
        return False
    try:
        np.save(staging / "ptc.npy", arrays.ptc)
        np.save(staging / "pc.npy", arrays.pc)
        np.save(staging / "nextmove.npy", np.asarray(arrays.nextmove))
        np.save(staging / "row.npy", np.asarray(arrays.row, dtype=np.uint32))
        np.save(staging / "output.npy", np.asarray(arrays.output, dtype=np.int32))
        (staging / _LABELS).write_text(json.dumps(arrays.classes), encoding="utf-8")
        staging.rename(folder)
    except OSError:
        pass  # a full disk, or another process renamed its copy first
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return (folder / _LABELS).is_file()


def _mapped(folder: Path) -> ModelArrays:
    def load(name: str, mapped: bool = False) -> Any:
        return np.load(folder / name, mmap_mode="r" if mapped else None, allow_pickle=False)

    return ModelArrays(
        ptc=np.asarray(load("ptc.npy", mapped=True)),
        pc=load("pc.npy"),
        classes=json.loads((folder / _LABELS).read_text(encoding="utf-8")),
        nextmove=_indexable(load("nextmove.npy", mapped=True)),
        row=_indexable(load("row.npy", mapped=True)),
        output=_indexable(load("output.npy", mapped=True)),
    )


def _indexable(array: Any) -> memoryview:
    """A memory-mapped array as a memoryview, which reads one entry as fast as py3langid's
    own ``array.array`` and lists do (a numpy array is several times slower, item by item),
    without a Python int object per entry."""
    return memoryview(array).cast("B").cast(array.dtype.char)
