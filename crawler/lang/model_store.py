"""py3langid's restricted model as plain arrays on disk, memory-mapped by every process.

py3langid ships its model as one LZMA-compressed archive: each process that loads it
decompresses 28 MB of weights, widens them to float32 (numpy multiplies float16 slowly) and
keeps its own copy, about 100 MB and 0.6 s of CPU per crawl worker. Restricted once and
written uncompressed under the user's cache folder, the same arrays are memory-mapped
instead: loading costs next to nothing and the operating system keeps one copy for all
processes. (Keeping the weights float16 and widening only the rows a text touches would
halve the file, but costs 16% more time per text: measured, not worth it.) The mappings
are read a page at a time (_load): a text reads scattered rows, and each should bring in
its own page, not the megabytes around it.

The folder is named after what decides its content (the bytes of py3langid's model file,
the candidate rules, this format, the machine's byte order), so a change to any of them
writes a new one. One process at a time builds it (the crawl's workers start together: the
others wait on an advisory lock, then map its copy), in a staging folder, synced, then
renamed into place: a process starting beside the writer sees all of it or none. A folder
that is incomplete, damaged or holds other classes than ``keep`` accepts is replaced. When
no cache folder can be written, the arrays are built in memory as before (and a warning
says so): the answers are the same either way.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import mmap
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

FORMAT = 2  # bump when the files written here change
_LABELS = "labels.json"  # py3langid's labels, and those kept
_ABANDONED = 3600  # seconds after which a staging folder is a killed writer's leftover
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ModelArrays:
    """What ``LanguageIdentifier`` is built from."""

    ptc: Any  # (features, classes) float32 weights
    pc: Any  # (classes,) float32 priors
    classes: list[str]
    nextmove: Any  # the tokenizer's DFA rows, indexable by int
    row: Any  # state -> DFA row, indexable by int
    output: Any  # state -> feature, or -1, indexable by int
    labels: list[str]  # every label of py3langid's model, kept or not

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
        labels=list(full.nb_classes),
    )


def cached_arrays(keep: Callable[[str], bool], rules: str) -> ModelArrays:
    """``restricted_arrays(keep)``, memory-mapped from the cache folder (written on first
    use, replaced when unusable); built in memory when no folder can be written. ``rules``
    describes ``keep``, so that other rules get a folder of their own."""
    try:
        folder = cache_root() / f"py3langid-{_fingerprint(rules)}"
    except (OSError, RuntimeError):  # no home folder, or no model file to fingerprint
        return restricted_arrays(keep)
    mapped = _read(folder, keep)
    if mapped is not None:
        return mapped
    with _one_writer(folder.parent):
        # The crawl's workers start together: one writes, the others wait and map its copy.
        mapped = _read(folder, keep)
        if mapped is not None:
            return mapped
        arrays = restricted_arrays(keep)
        if _replace(folder, arrays):
            return _read(folder, keep) or arrays
    logger.warning(
        "cannot write the language model's cache to %s: each process unpacks the model "
        "(0.6 s, ~100 MB); set SANKOFA_CACHE_DIR to a writable folder",
        folder.parent,
    )
    return arrays


def cache_root() -> Path:
    """$SANKOFA_CACHE_DIR, else sankofa/ under $XDG_CACHE_HOME (usually ~/.cache)."""
    explicit = os.environ.get("SANKOFA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sankofa"


def _fingerprint(rules: str) -> str:
    # The file's bytes, not its date: a reinstall of the same model finds the same folder.
    digest = hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes())
    digest.update(f"|{FORMAT}|{sys.byteorder}|{rules}".encode())
    return digest.hexdigest()[:16]


# --- reading ---------------------------------------------------------------------------------


def _read(folder: Path, keep: Callable[[str], bool]) -> ModelArrays | None:
    """The arrays mapped from ``folder``; None when it is missing, incomplete or damaged,
    or holds other classes than ``keep`` accepts."""
    try:
        arrays = _mapped(folder)
    except (OSError, ValueError, EOFError, KeyError, TypeError):
        return None
    return arrays if _consistent(arrays, keep) else None


def _mapped(folder: Path) -> ModelArrays:
    labels = json.loads((folder / _LABELS).read_text(encoding="utf-8"))
    return ModelArrays(
        ptc=np.asarray(_load(folder / "ptc.npy")),
        pc=np.array(_load(folder / "pc.npy")),
        classes=labels["kept"],
        nextmove=_indexable(_load(folder / "nextmove.npy")),
        row=_indexable(_load(folder / "row.npy")),
        output=_indexable(_load(folder / "output.npy")),
        labels=labels["all"],
    )


def _load(path: Path) -> Any:
    """The array in ``path``, memory-mapped to be read a page at a time (see _read_by_page)."""
    _drop_unmapped_pages(path)
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    _read_by_page(array)
    return array


def _read_by_page(array: Any) -> None:
    """Ask the kernel to map the array's pages one at a time, as they are read.

    A text touches a few thousand scattered rows of the 85 MB model. Read ahead, or held in
    the page cache as large folios (Linux 6.x keeps file pages in blocks of up to 2 MB and
    maps a whole block on a fault), each row brings megabytes around it into the process:
    measured on 6.18, 62 MB of the model per worker after 600 pages, against 25 MB a page
    at a time. The rows read are the same; only how much of the file sits mapped changes.
    """
    mapping = array.base  # the mmap.mmap that numpy maps the file with
    advice = getattr(mmap, "MADV_RANDOM", None)  # not on every platform
    if isinstance(mapping, mmap.mmap) and advice is not None:
        with contextlib.suppress(OSError):  # advice only: the rows read are the same without
            mapping.madvise(advice)


def _drop_unmapped_pages(path: Path) -> None:
    """Let the page cache drop what it holds of ``path`` that no process maps, so that the
    next reads bring in pages, not the large folios a sequential read or the write left
    (the kernel keeps the pages a process maps)."""
    if not hasattr(os, "posix_fadvise"):
        return
    descriptor = os.open(path, os.O_RDONLY)  # missing: _read takes the folder for incomplete
    try:
        with contextlib.suppress(OSError):  # advice only, which some file systems refuse
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def _indexable(array: Any) -> memoryview:
    """A memory-mapped array as a memoryview, which reads one entry as fast as py3langid's
    own ``array.array`` and lists do (a numpy array is several times slower, item by item),
    without a Python int object per entry."""
    return memoryview(array).cast("B").cast(array.dtype.char)


def _consistent(arrays: ModelArrays, keep: Callable[[str], bool]) -> bool:
    """Whether the arrays fit together and hold the classes ``keep`` accepts (the rules'
    description may have missed a change to ``keep``)."""
    classes = len(arrays.classes)
    return (
        arrays.classes == [label for label in arrays.labels if keep(label)]
        and arrays.ptc.ndim == 2
        and arrays.ptc.shape[1] == classes == arrays.pc.shape[0]
        and len(arrays.row) == len(arrays.output)
    )


# --- writing ---------------------------------------------------------------------------------


def _replace(folder: Path, arrays: ModelArrays) -> bool:
    """Put ``arrays`` in ``folder`` (moving aside whatever unusable copy is there); whether
    the folder now holds a complete copy."""
    try:  # the folder's parent exists: _one_writer made it, or this fails
        _sweep(folder.parent)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    except OSError:
        return False
    try:
        _write(staging, arrays)
        _discard(folder)
        staging.rename(folder)
    except OSError:
        pass  # a full disk, or another process put its copy in place first
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return (folder / _LABELS).is_file()


@contextmanager
def _one_writer(root: Path) -> Iterator[None]:
    """Held while the model is built and written, by one process at a time (advisory
    lock on root/.lock); without a lock file to take, nothing is held."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = (root / ".lock").open("a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def _write(staging: Path, arrays: ModelArrays) -> None:
    files = {
        "ptc.npy": arrays.ptc,
        "pc.npy": arrays.pc,
        "nextmove.npy": np.asarray(arrays.nextmove),
        "row.npy": np.asarray(arrays.row, dtype=np.uint32),
        "output.npy": np.asarray(arrays.output, dtype=np.int32),
    }
    for name, array in files.items():
        with (staging / name).open("wb") as handle:
            np.save(handle, array)
            _sync(handle)
    labels = {"all": arrays.labels, "kept": arrays.classes}
    with (staging / _LABELS).open("w", encoding="utf-8") as handle:
        json.dump(labels, handle)
        _sync(handle)
    # Synced before the rename: after a crash, the folder holds the files or is not there.
    descriptor = os.open(staging, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    staging.chmod(0o755)  # mkdtemp's 0700 would lock out other users sharing the folder


def _sync(handle: Any) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _discard(folder: Path) -> None:
    """Move an unusable copy out of the way (processes mapping its files keep them)."""
    if folder.exists():
        aside = folder.with_name(f".staging-discarded-{os.getpid()}-{folder.name}")
        folder.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)


def _sweep(root: Path) -> None:
    """Remove the staging folders that writers killed mid-way left behind."""
    for leftover in root.glob(".staging-*"):
        try:
            if time.time() - leftover.stat().st_mtime > _ABANDONED:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue
