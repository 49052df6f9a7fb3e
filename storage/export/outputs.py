"""Output files that never look complete before they are: temporary names, then a rename.

A file (or a dataset folder) is written beside its target under a hidden temporary name and
renamed onto the target only once everything is written; on any error the temporary is
removed and the target is left as it was. Compression (gzip or zstd) wraps the stream.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final, Literal, cast

from storage.db import StorageError

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

Compression = Literal["none", "gzip", "zstd"]
COMPRESSIONS: Final = ("none", "gzip", "zstd")
SUFFIXES: Final[dict[str, Compression]] = {
    ".gz": "gzip",
    ".gzip": "gzip",
    ".zst": "zstd",
    ".zstd": "zstd",
}


def compression_for(path: Path | None) -> Compression:
    """The compression a file name asks for by its suffix (.gz, .zst), else none."""
    return "none" if path is None else SUFFIXES.get(path.suffix.lower(), "none")


@contextmanager
def atomic_path(target: Path, *, folder: bool = False) -> Iterator[Path]:
    """A temporary path beside `target` to write to; renamed onto `target` at the end.

    A symlink is followed: the file it points to is replaced, the link stays. A FIFO, a
    device or a socket is written in place, never renamed over (`-o /dev/stdout`, a named
    pipe). A folder target must not exist, or be empty: a dataset is never merged into, or
    silently replaces, a folder that holds something else.
    """
    target = _followed(target)
    if not folder and _is_stream(target):
        with _one_line_errors(target):
            yield target
        return
    if not folder and target.is_dir():
        raise StorageError(f"cannot write '{target}': it is a folder; give a file name with -o")
    if folder:
        _check_folder_target(target)
    with _one_line_errors(target):
        temporary = _temporary_beside(target, folder=folder)
    try:
        with _one_line_errors(target):
            yield temporary
            _move_into_place(temporary, target, folder=folder)
    finally:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            temporary.unlink(missing_ok=True)


def _followed(target: Path) -> Path:
    """The path a symlink (or a chain of them) finally names; any other path as given."""
    return target.resolve() if target.is_symlink() else target


def _is_stream(target: Path) -> bool:
    """A FIFO, character or block device, or socket: something to write into, not replace."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def _temporary_beside(target: Path, *, folder: bool) -> Path:
    parent = _writable_parent(target)
    prefix, suffix = f".{target.name}.", ".part"
    if folder:
        return Path(tempfile.mkdtemp(dir=parent, prefix=prefix, suffix=suffix))
    handle, name = tempfile.mkstemp(dir=parent, prefix=prefix, suffix=suffix)
    os.close(handle)
    return Path(name)


@contextmanager
def _one_line_errors(target: Path) -> Iterator[None]:
    """An OSError (a full disk, a folder that refuses files) as one line naming the target."""
    try:
        yield
    except OSError as exc:
        raise StorageError(
            f"cannot write '{target}': {exc.strerror or exc}; nothing complete was written "
            "there; choose another -o path or free space"
        ) from exc


@contextmanager
def open_binary(path: Path, compression: Compression = "none") -> Iterator[IO[bytes]]:
    """`path` opened for writing bytes, through gzip or zstd if asked."""
    if compression == "gzip":
        with gzip.open(path, "wb", compresslevel=6) as gzipped:
            yield cast(IO[bytes], gzipped)
    elif compression == "zstd":
        with zstd.open(path, "wb") as zstandard:
            yield cast(IO[bytes], zstandard)
    else:
        with path.open("wb") as plain:
            yield plain


@contextmanager
def open_text(path: Path, compression: Compression = "none") -> Iterator[IO[str]]:
    """`path` opened for writing UTF-8 text (newline "" lets csv choose its line ends)."""
    with open_binary(path, compression) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        try:
            yield text
        finally:
            text.flush()
            text.detach()


@contextmanager
def text_output(target: Path | None, compression: Compression = "none") -> Iterator[IO[str]]:
    """Standard output when `target` is None, else an atomically written (compressed) file."""
    if target is None:
        if compression == "none":
            yield sys.stdout
            return
        with _stdout_compressed(compression) as text:
            yield text
        return
    with atomic_path(target) as temporary, open_text(temporary, compression) as out:
        yield out


@contextmanager
def _stdout_compressed(compression: Compression) -> Iterator[IO[str]]:
    raw = cast(
        IO[bytes],
        gzip.GzipFile(fileobj=sys.stdout.buffer, mode="wb")
        if compression == "gzip"
        else zstd.ZstdFile(sys.stdout.buffer, "wb"),
    )
    with raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


def _writable_parent(target: Path) -> Path:
    parent = target.resolve().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise StorageError(
            f"cannot write '{target}': folder '{parent}' is missing or not writable; "
            "choose another -o path"
        )
    return parent


def _check_folder_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StorageError(
            f"cannot write a dataset folder to '{target}': it already exists and is not an "
            "empty folder; remove it or choose another -o path"
        )


def _move_into_place(temporary: Path, target: Path, *, folder: bool) -> None:
    if folder:
        if target.is_dir():
            target.rmdir()  # empty, as checked before writing
        temporary.chmod(0o777 & ~_umask())
    else:
        temporary.chmod(0o666 & ~_umask())
    os.replace(temporary, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
