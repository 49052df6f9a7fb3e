"""The two statistical detectors behind crawler.lang.detect, wrapped for its decision rules.

py3langid answers every paragraph; langdetect is consulted only on near-ties. Both ship
their models inside their packages, so nothing is downloaded at run time. Each model is
loaded once per process, on first use.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import langdetect
import numpy as np
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.lang_profile import LangProfile

from crawler.lang import batched
from crawler.lang.model_store import cached_arrays

NO_LANGUAGE = "zxx"  # py3langid's label for text without linguistic content
TOP_LANGUAGES = 6  # candidates kept per paragraph: the rest never matter
MAX_MODEL_CHARS = 3000  # a paragraph's language is settled long before; bounds the cost

# py3langid labels without an ISO 639-1 code that belong to a macrolanguage with one.
FOLDED = {
    "wuu": "zh",
    "yue": "zh",
    "arz": "ar",
    "ary": "ar",
    "uzs": "uz",
    "sdh": "ku",
    "gug": "gn",
    "fuv": "ff",
    "kik": "ki",
}
# Dead or constructed: never the language of a news article, but they attract short text.
_EXCLUDED = frozenset({"la", "sa", "eo", "vo"})
# Living languages with fewer than about a million native speakers, far from the regions
# Sankofa crawls: candidates only when a hint names them, since unprompted they are mostly
# false positives on short Dutch, Spanish or English text (fy, an, se ...).
SMALL_LANGUAGES = frozenset(
    {"an", "br", "cy", "eu", "fo", "fy", "ga", "gd", "is", "lb", "mt", "oc", "se", "wa"}
)


def candidate(label: str) -> str | None:
    """The ISO 639-1 code (or "zxx") a py3langid label counts for; None: not a candidate.

    Three-letter labels outside FOLDED (pcm, ext, vec, kab ...) are regional varieties
    without an ISO 639-1 code: dropped, their text goes to the nearest candidate.
    """
    if label == NO_LANGUAGE:
        return label
    code = FOLDED.get(label, label)
    return code if len(code) == 2 and code not in _EXCLUDED else None


# What decides which labels are candidates: the cached model gets a folder of its own when it
# changes (and a folder that holds other classes is replaced in any case).
_CANDIDATE_RULES = repr((sorted(FOLDED.items()), sorted(_EXCLUDED)))


@functools.cache
def _identifier() -> Any:
    """py3langid's model restricted to the candidates, memory-mapped from the cache folder
    (crawler.lang.model_store). A private instance, so the module-level one stays untouched
    for anyone else in the process; built from the restricted arrays rather than with
    ``set_languages``, which keeps the whole model for a later reset this process never
    makes."""
    return cached_arrays(lambda label: candidate(label) is not None, _CANDIDATE_RULES).identifier()


def load_model() -> None:
    """Load py3langid's model now, writing its cache on first use (see _identifier): a
    benchmark calls it so that the first crawl it times does not pay for that."""
    _identifier()


def py3langid_posteriors(texts: Sequence[str], named: frozenset[str]) -> list[dict[str, float]]:
    """For each of ``texts``, py3langid's leading candidates and their probabilities,
    renormalised among them. The texts are scored together (crawler.lang.batched): an
    article's paragraphs cost py3langid 40% less than one by one.

    Varieties are added into their macrolanguage; SMALL_LANGUAGES count only when `named`
    (by a hint). py3langid tempers its softmax by text length, so short text spreads out.
    """
    columns, labels = _label_columns()
    table = batched.scores(_identifier(), [text[:MAX_MODEL_CHARS] for text in texts])[:, columns]
    # Best first, ties in column order: py3langid's ``rank``, without converting and sorting
    # all ~120 scores of every paragraph in Python when only the first few are read.
    order = np.argsort(-table, axis=1, kind="stable")
    return [
        _posterior(((labels[i], float(row[i])) for i in ranks), named)
        for row, ranks in zip(table, order, strict=True)
    ]


def _posterior(ranked: Iterator[tuple[str, float]], named: frozenset[str]) -> dict[str, float]:
    leader = None
    posterior: dict[str, float] = {}
    for label, probability in ranked:
        leader = leader or label
        code = candidate(label) or label
        if code in SMALL_LANGUAGES and code not in named:
            continue
        posterior[code] = posterior.get(code, 0.0) + probability
        if len(posterior) == TOP_LANGUAGES:
            break
    total = sum(posterior.values())
    if not total and leader:  # so clearly a small language that the others underflow
        return {candidate(leader) or leader: 1.0}
    return {code: p / total for code, p in posterior.items()}


@functools.cache
def _label_columns() -> tuple[Any, tuple[str, ...]]:
    """The column that holds each label's score (its first: ``rank`` folds an alias into it)
    and the labels, in column order."""
    first: dict[str, int] = {}
    for column, label in enumerate(_identifier().nb_classes):
        first.setdefault(label, column)
    return np.array(list(first.values()), dtype=np.intp), tuple(first)


_LANGDETECT_PROFILES = Path(langdetect.__file__).parent / "profiles"
LANGDETECT_LANGUAGES = frozenset(
    path.name for path in _LANGDETECT_PROFILES.iterdir() if len(path.name) == 2
)


def langdetect_probabilities(text: str, languages: tuple[str, ...]) -> dict[str, float]:
    """langdetect's probabilities for `text`, choosing only among `languages`.

    langdetect leaves out languages under 0.1; {} when the text has no usable n-gram.
    """
    detector = _langdetect_factory(tuple(sorted(languages))).create()
    detector.append(text[:MAX_MODEL_CHARS])
    try:
        return {found.lang: found.prob for found in detector.get_probabilities()}
    except LangDetectException:
        return {}


@functools.lru_cache(maxsize=64)
def _langdetect_factory(languages: tuple[str, ...]) -> DetectorFactory:
    """A langdetect factory that knows only `languages`, so it answers among them.

    Private rather than langdetect's global factory, for determinism: profiles are added
    in a fixed order (the global one follows os.listdir), and the seed is set here.
    """
    factory = DetectorFactory()
    factory.set_seed(0)  # langdetect samples n-grams at random; a fixed seed fixes its answer
    for index, language in enumerate(languages):
        factory.add_profile(LangProfile(**_langdetect_profile(language)), index, len(languages))
    return factory


@functools.cache
def _langdetect_profile(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_LANGDETECT_PROFILES / language).read_text("utf-8"))
    return data
