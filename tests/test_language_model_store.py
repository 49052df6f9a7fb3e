"""The language model is memory-mapped from a cache folder, and answers as the shipped one."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from crawler.lang.model_store import cached_arrays, restricted_arrays
from crawler.lang.models import _CANDIDATE_RULES, candidate
from tests.test_language import ENGLISH, FRENCH_QUOTE, SENTENCES

TEXTS = [*SENTENCES.values(), ENGLISH, FRENCH_QUOTE, "x", ""]


def _keep(label: str) -> bool:
    return candidate(label) is not None


def _ranks(arrays: object) -> list[object]:
    identifier = arrays.identifier()  # type: ignore[attr-defined]
    return [identifier.rank(text) for text in TEXTS]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANKOFA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_mapped_model_answers_as_the_unpacked_one(cache: Path) -> None:
    written = cached_arrays(_keep, _CANDIDATE_RULES)
    mapped = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(mapped.nextmove, memoryview)  # read from the folder, not unpacked
    # One folder, named after the model and the rules; the staging folder is gone.
    assert [path.name[:10] for path in cache.iterdir()] == ["py3langid-"]
    expected = _ranks(restricted_arrays(_keep))
    assert _ranks(written) == expected
    assert _ranks(mapped) == expected


def test_other_candidate_rules_get_a_folder_of_their_own(cache: Path) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)
    cached_arrays(lambda label: label in {"en", "fr"}, "only en and fr")
    assert len(list(cache.glob("py3langid-*"))) == 2


def test_without_a_writable_folder_the_model_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SANKOFA_CACHE_DIR", str(blocker / "cache"))
    arrays = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(arrays.nextmove, array)
    assert _ranks(arrays) == _ranks(restricted_arrays(_keep))


def test_a_damaged_folder_is_not_read(cache: Path) -> None:
    cached_arrays(_keep, _CANDIDATE_RULES)
    (weights,) = cache.glob("py3langid-*/ptc.npy")
    weights.write_bytes(weights.read_bytes()[:1000])
    arrays = cached_arrays(_keep, _CANDIDATE_RULES)
    assert isinstance(arrays.nextmove, array)
    assert _ranks(arrays)[0] == _ranks(restricted_arrays(_keep))[0]
