"""What links two articles: exact body hashes, MinHash signatures, LSH band keys, the
threshold, and the order that makes a cluster's earliest article its root."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage.models import CorpusSetting

DEFAULT_THRESHOLD: Final = 0.8
_THRESHOLD: Final = "duplicate_threshold"  # its name in corpus_settings
# An LSH band is BAND_ROWS consecutive signature values; two articles become candidates
# when any band is equal. With 128 values: 21 bands of 6, so a pair at similarity 0.8 is a
# candidate with probability 0.998, at 0.7 0.93, at 0.3 0.015 (1 - (1 - s^6)^21).
BAND_ROWS: Final = 6
_SPACES = re.compile(r"\s+")
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constants of splitmix64
_MIX2: Final = np.uint64(0xBF58476D1CE4E5B9)
_NEVER: Final = datetime.max.replace(tzinfo=UTC)
_SETTINGS: Final = cast(Table, CorpusSetting.__table__)
# Built once, on the table: each store of a near-duplicate reads it (store time is a target).
_THRESHOLD_VALUE: Final = select(_SETTINGS.c.value).where(_SETTINGS.c.name == _THRESHOLD)

Signatures = npt.NDArray[np.uint32]
# crawler.dedupe.signature.NUM_PERM values of 4 bytes; a signature of another length (a
# future signature scheme) is not compared until `recluster` recomputes it.
SIGNATURE_VALUES: Final = 128
SIGNATURE_BYTES: Final = 4 * SIGNATURE_VALUES


def body_hash(text: str) -> str:
    """What exact copies share: the body with its Unicode form and spacing unified."""
    unified = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(unified.encode("utf-8")).hexdigest()[:32]


def as_signatures(blobs: Sequence[bytes]) -> Signatures:
    """Stored signatures (little-endian uint32 values) as one row per signature."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), -1).astype(np.uint32)


def band_keys(signatures: Signatures) -> npt.NDArray[np.int64]:
    """One 64-bit key per band of each signature (rows: signatures, columns: bands); the
    band's number is mixed in, so equal values in different bands are different keys."""
    return _keys_of_bands(signatures, range(band_count(signatures)))


def band_count(signatures: Signatures) -> int:
    return int(signatures.shape[1]) // BAND_ROWS


def band_key(signatures: Signatures, band: int) -> npt.NDArray[np.int64]:
    """Column `band` of band_keys, computed alone: the keys of every band of 200,000
    signatures take 200 MB of 64-bit intermediates, those of one band a few MB."""
    return _keys_of_bands(signatures, range(band, band + 1))[:, 0]


def _keys_of_bands(signatures: Signatures, bands: range) -> npt.NDArray[np.int64]:
    # All bands of a row in one array operation: one signature's keys (index_article)
    # would cost 21 times the (small-array) overhead band by band.
    count = signatures.shape[0]
    values = signatures[:, bands.start * BAND_ROWS : bands.stop * BAND_ROWS]
    grid = values.reshape(count, len(bands), BAND_ROWS)
    with np.errstate(over="ignore"):  # multiplication modulo 2^64 is the point
        numbers = np.arange(bands.start + 1, bands.stop + 1, dtype=np.uint64)
        mixed = np.tile(numbers * _MIX, (count, 1))
        for column in range(BAND_ROWS):
            mixed = (mixed ^ grid[:, :, column]) * _MIX2
            mixed ^= mixed >> np.uint64(29)
    return mixed.view(np.int64)


def duplicate_threshold(session: Session) -> float:
    """The corpus's near-duplicate threshold (DEFAULT_THRESHOLD until one is set)."""
    value = session.scalar(_THRESHOLD_VALUE)
    return DEFAULT_THRESHOLD if value is None else float(value)


def set_duplicate_threshold(session: Session, threshold: float) -> None:
    """Record the threshold every later store uses (call `recluster` with it); no commit."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"a near-duplicate threshold is between 0 and 1, not {threshold}")
    session.merge(CorpusSetting(name=_THRESHOLD, value=repr(threshold)))


def agreeing(threshold: float, length: int) -> int:
    """How many of `length` signature values two near-duplicates must share."""
    return math.ceil(threshold * length - 1e-9)


@dataclass(frozen=True, slots=True)
class Member:
    """What clustering needs of one article."""

    id: int
    published: datetime | None
    canonical_url: str
    body_hash: str | None
    minhash: bytes | None


def member_order(member: Member) -> tuple[datetime, str]:
    """The root of a cluster sorts first: earliest published, unknown dates last, then by
    canonical URL (unique, so there is never a tie)."""
    return root_key(member.published, member.canonical_url)


def root_key(published: datetime | None, canonical_url: str) -> tuple[datetime, str]:
    return (published or _NEVER, canonical_url)


def linked(a: Member, b: Member, threshold: float) -> bool:
    """The one definition of a link, used by index_article and by split checks."""
    if a.body_hash is not None and a.body_hash == b.body_hash:
        return True
    if a.minhash is None or b.minhash is None or len(a.minhash) != len(b.minhash):
        return False
    pair = as_signatures([a.minhash, b.minhash])
    if not np.intersect1d(band_keys(pair[:1]), band_keys(pair[1:])).size:
        return False
    return int((pair[0] == pair[1]).sum()) >= agreeing(threshold, pair.shape[1])


def comparable(minhash: bytes | None) -> bytes | None:
    return minhash if minhash is not None and len(minhash) == SIGNATURE_BYTES else None
