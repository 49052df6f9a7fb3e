"""The language model is memory-mapped from a cache folder, and answers as the shipped one."""

from __future__ import annotations

import errno
import os
import shutil
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.lang.model_store import ModelArrays, cached_arrays, restricted_arrays
from crawler.lang.models import _CANDIDATE_RULES, candidate
from tests.test_language import ENGLISH, FRENCH_QUOTE, SENTENCES

TEXTS = [*SENTENCES.values(), ENGLISH, FRENCH_QUOTE, "x", ""]


def _keep(label: str) -> bool:
    return candidate(label) is not None


def _ranks(arrays: ModelArrays) -> list[object]:
    identifier = arrays.identifier()
    return [identifier.rank(text) for text in TEXTS]


@pytest.fixture(scope="module")
def unpacked() -> list[object]:
    return _ranks(restricted_arrays(_keep))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SANKOFA_CACHE_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)  # ~90 MB per copy: not left to pytest's tmp


def _copies(cache: Path) -> list[Path]:
    return sorted(cache.glob("py3langid-*"))


def test_the_mapped_model_answers_as_the_unpacked_one(cache: Path, unpacked: list[object]) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)
    mapped = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(mapped.nextmove, memoryview)  # read from the folder, not unpacked
    # One folder, named after the model and the rules, beside the writers' lock; the staging
    # folder is gone.
    assert sorted(path.name[:10] for path in cache.iterdir()) == [".lock", "py3langid-"]
    assert _ranks(mapped) == unpacked


def test_other_candidate_rules_get_a_folder_of_their_own(cache: Path) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)
    narrow = cached_arrays(lambda label: label in {"en", "fr"}, "only en and fr")
    assert narrow.classes == ["en", "fr"]
    assert len(_copies(cache)) == 2


def test_without_a_writable_folder_the_model_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SANKOFA_CACHE_DIR", str(blocker / "cache"))
    arrays = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(arrays.nextmove, array)
    assert "SANKOFA_CACHE_DIR" in caplog.text


@pytest.mark.parametrize("damage", ["empty file", "truncated file", "no labels", "other classes"])
def test_an_unusable_folder_is_written_again(
    cache: Path, unpacked: list[object], damage: str
) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)
    (folder,) = _copies(cache)
    weights = folder / "ptc.npy"
    if damage == "empty file":  # a crash between the rename and the disk
        weights.write_bytes(b"")
    elif damage == "truncated file":
        weights.write_bytes(weights.read_bytes()[:1000])
    elif damage == "no labels":
        (folder / "labels.json").unlink()
    else:  # candidate() changed while FOLDED and _EXCLUDED did not
        (folder / "labels.json").write_text('{"all": ["en"], "kept": ["en"]}', encoding="utf-8")
    arrays = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(arrays.nextmove, memoryview)
    assert _ranks(arrays) == unpacked
    assert _copies(cache) == [folder] and [p.name for p in cache.glob(".staging-*")] == []


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc")
def test_reading_a_row_maps_pages_not_blocks_of_the_file(cache: Path) -> None:
    """A text reads scattered rows: each should bring in a page or so, not the megabytes
    a sequential read of the file (a backup, a copy, the write itself) leaves cached."""
    cached_arrays(_keep, _CANDIDATE_RULES)
    (ptc_file,) = cache.glob("py3langid-*/ptc.npy")
    ptc_file.read_bytes()  # cached as a sequential read leaves it
    ptc = cached_arrays(_keep, _CANDIDATE_RULES).ptc
    before = _mapped_kib(ptc_file)
    float(ptc[len(ptc) // 2].sum())  # one row, from the middle of the file
    assert _mapped_kib(ptc_file) - before <= 256


def test_a_file_system_that_refuses_the_advice_still_maps_the_folder(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)

    def refuse(*_args: object) -> None:
        raise OSError(errno.EINVAL, "advice not supported here")

    monkeypatch.setattr(os, "posix_fadvise", refuse)
    mapped = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(mapped.nextmove, memoryview)  # mapped, not unpacked again in memory
    assert len(_copies(cache)) == 1


def _mapped_kib(path: Path) -> int:
    """Resident KiB of this process's mappings of ``path`` (from /proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
            inside = fields[-1] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total
