"""Is a fetched page an article and, if not, what kind of page? PURE, deterministic, and
without scikit-learn: the fitted models ship as JSON (``page_classifier.json``, written by
``benchmarks/train_page_classifier.py``) and are evaluated here with numpy.

How it decides:

1. ``page_features`` reads generic signals from the page (declared schema.org/Open Graph
   types, paragraphs of prose, <article>/<time>/byline counts, class names, prices and
   forms, text and link density, the shape of the address and of the links).
2. The article model (300 gradient-boosted trees, chosen over logistic regression in
   cross-validation grouped by domain) turns them into ``article_score`` = P(article),
   trained on articles against product, service, listing, collection and forum pages
   (documentation is left out: a tutorial on a tech blog is an article).
3. The crawl keeps a page when ``article_score >= KEEP_THRESHOLD``. That threshold is set for
   no lost articles (at most 0.5% of articles below it, out of fold): a doubtful page kept
   can be filtered out later, a lost article is gone.
4. ``kind`` is "article" when the score reaches ``ARTICLE_THRESHOLD``; below it, a page with
   next to no text is "other", and any other page gets the most probable non-article kind of
   the kind model.
5. The address of a category, tag, author or search archive (``url_words.archive_address``:
   "/category/fintech/", "/etiqueta/fintech/page/2/", "/?s=fintech") is never an article's.
   The model weighs it with everything else and can be outvoted by a theme that declares
   every page an article (og:type "article" on its archives); the address then keeps such a
   page only as a doubtful one, of its non-article kind. When model and address agree the
   page is no article, it is turned away: two independent signals, and no article of the
   1,211 in WCXB-dev, Zyte and the fixtures has such an address.

``signals`` names the features that moved the article score most (contribution to its
log-odds), so that a surprising decision can be read.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from crawler import url_words
from crawler.extract.page_features import (
    BODY_FEATURE_NAMES,
    FEATURE_NAMES,
    body_features,
    page_features,
)
from crawler.extract.parse import parse_html

MODEL_FILE: Final = Path(__file__).with_name("page_classifier.json")
PAGE_KINDS: Final = (
    "article", "listing", "product", "service", "forum", "collection", "documentation", "other",
)  # fmt: skip
ARTICLE_THRESHOLD: Final = 0.5  # at or above: the page is taken for an article, not doubted
_SIGNALS = 5
_OTHER_TEXT = FEATURE_NAMES.index("visible text chars (log)")
_OTHER_BELOW = math.log1p(120)  # fewer visible characters than a short paragraph: no page
_ARCHIVE_SIGNAL: Final = ("address of a category, tag, author or search archive", 0.0)


@dataclass(frozen=True, slots=True)
class PageClass:
    """What the classifier made of a page, and the features that weighed most."""

    kind: str  # one of PAGE_KINDS
    article_score: float  # P(article), 0 to 1
    signals: tuple[tuple[str, float], ...]  # (feature, its push on the article log-odds)
    archive_address: bool = False  # the address is a category, tag, author or search archive's

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def kept(self) -> bool:
        """Whether the crawl keeps the page (an article, or a page that might be one)."""
        if self.archive_address and self.article_score < ARTICLE_THRESHOLD:
            return False
        return self.article_score >= KEEP_THRESHOLD


def classify(html: str, url: str, body_text: str | None = None) -> PageClass:
    """Classify the page ``html`` fetched from ``url``.

    ``body_text`` (the main text an extractor found) is read only by a model file that has a
    body variant; the shipped one has none, as body features did not help in grouped CV."""
    tree = parse_html(html)
    if tree is None:
        return PageClass("other", 0.0, (("no parsable HTML", 1.0),))
    return classify_tree(tree, url, body_text)


def classify_tree(tree: Any, url: str, body_text: str | None = None) -> PageClass:
    """Classify an lxml.html document (as ``trafilatura.load_html`` returns it); the tree is
    only read."""
    model = _model()
    features = page_features(tree, url)
    article = model["article"]
    if body_text is not None and "article_with_body" in model:
        article = model["article_with_body"]
        features = features + body_features(body_text, tree)
    score, pushes = _binary(article, features)
    signals = _top(pushes, article["features"])
    if url_words.archive_address(url):
        kind = _kind(model, features, 0.0)  # scored as doubted: any kind but "article"
        return PageClass(kind, score, (_ARCHIVE_SIGNAL, *signals), archive_address=True)
    return PageClass(_kind(model, features, score), score, signals)


def _kind(model: Mapping[str, Any], features: Sequence[float], score: float) -> str:
    if score >= ARTICLE_THRESHOLD:
        return "article"
    if features[_OTHER_TEXT] < _OTHER_BELOW:
        return "other"
    kinds = model["kind"]
    probabilities = _probabilities(kinds, features[: len(kinds["features"])])
    # The kind model knows articles too; below the article threshold the page is doubted,
    # so it gets the likeliest of the other kinds.
    ranked = sorted(zip(kinds["classes"], probabilities, strict=True), key=lambda kp: -kp[1])
    return str(next(kind for kind, _ in ranked if kind != "article"))


# --- the shipped models ---------------------------------------------------------------------


@functools.cache
def _model() -> dict[str, Any]:
    model: dict[str, Any] = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    # A model trained on other features would score garbage: refuse it loudly.
    if tuple(model["article"]["features"]) != FEATURE_NAMES:
        raise ValueError(f"{MODEL_FILE.name} was trained on other features; retrain it")
    with_body = model.get("article_with_body")
    if with_body and tuple(with_body["features"]) != FEATURE_NAMES + BODY_FEATURE_NAMES:
        raise ValueError(f"{MODEL_FILE.name} body model was trained on other features")
    return model


def _binary(model: Mapping[str, Any], x: Sequence[float]) -> tuple[float, list[float]]:
    """P(positive) of a binary model, and each feature's push on its log-odds."""
    if model["type"] == "logistic":
        raw, pushes = _logistic_raw(model, x, 0)
    else:
        raw, pushes = _forest(model, 0).raw(x)
    return _sigmoid(raw), pushes


def _probabilities(model: Mapping[str, Any], x: Sequence[float]) -> list[float]:
    """Class probabilities of a multi-class model (softmax of its raw scores)."""
    if model["type"] == "logistic":
        raws = [_logistic_raw(model, x, k)[0] for k in range(len(model["classes"]))]
    else:
        raws = [_forest(model, k).raw(x)[0] for k in range(len(model["trees"]))]
    top = max(raws)
    exps = [math.exp(r - top) for r in raws]
    total = sum(exps)
    return [e / total for e in exps]


def _logistic_raw(
    model: Mapping[str, Any], x: Sequence[float], k: int
) -> tuple[float, list[float]]:
    weights = model["coef"][k]
    columns = zip(weights, x, model["mean"], model["scale"], strict=True)
    pushes = [w * (v - m) / s for w, v, m, s in columns]
    return model["intercept"][k] + sum(pushes), pushes


class _Forest:
    """One class's boosted trees as flat arrays, walked a level of all the trees at a time:
    node by node in Python, a page's 900 splits took 0.2 ms, twice as long."""

    def __init__(self, trees: Sequence[Mapping[str, list[Any]]], baseline: float) -> None:
        sizes = [len(tree["f"]) for tree in trees]
        starts = np.cumsum([0, *sizes[:-1]])
        offsets = np.repeat(starts, sizes)  # a tree's node numbers made the forest's
        self.feature = np.concatenate([tree["f"] for tree in trees]).astype(np.intp)
        self.threshold = np.concatenate([tree["t"] for tree in trees]).astype(np.float64)
        self.left = np.concatenate([tree["l"] for tree in trees]).astype(np.intp) + offsets
        self.right = np.concatenate([tree["r"] for tree in trees]).astype(np.intp) + offsets
        self.value = np.concatenate([tree["v"] for tree in trees]).astype(np.float64)
        self.roots = starts.astype(np.intp)
        self.baseline = baseline

    def raw(self, x: Sequence[float]) -> tuple[float, list[float]]:
        """Sum of the trees' leaves; each split's change of node value is credited to its
        feature (the path decomposition, which sums exactly to the raw score)."""
        values = np.asarray(x, dtype=np.float64)
        pushes = np.zeros(len(values))
        nodes = self.roots
        while True:
            features = self.feature[nodes]
            split = features >= 0  # leaves are done: their value is the root's + the pushes
            if not split.any():
                break
            nodes, features = nodes[split], features[split]
            goes_left = values[features] <= self.threshold[nodes]
            children = np.where(goes_left, self.left[nodes], self.right[nodes])
            steps = self.value[children] - self.value[nodes]
            pushes += np.bincount(features, weights=steps, minlength=len(values))
            nodes = children
        raw = self.baseline + float(self.value[self.roots].sum()) + float(pushes.sum())
        return raw, pushes.tolist()


# Compiled forests by the id of their model, with the model itself: held, its id cannot be
# reused by another. One or two models per process (the shipped one; the trainer's).
_FORESTS: dict[int, tuple[Mapping[str, Any], list[_Forest]]] = {}


def _forest(model: Mapping[str, Any], k: int) -> _Forest:
    """Class k's trees of ``model``, compiled on first use."""
    held = _FORESTS.get(id(model))
    if held is None or held[0] is not model:
        classes = zip(model["trees"], model["baseline"], strict=True)
        held = _FORESTS[id(model)] = (model, [_Forest(trees, base) for trees, base in classes])
    return held[1][k]


def _top(pushes: Sequence[float], names: Sequence[str]) -> tuple[tuple[str, float], ...]:
    ranked = sorted(zip(names, pushes, strict=True), key=lambda np: -abs(np[1]))
    return tuple((name, round(push, 3)) for name, push in ranked[:_SIGNALS] if push)


def _sigmoid(raw: float) -> float:
    return 1.0 / (1.0 + math.exp(-raw)) if raw >= 0 else math.exp(raw) / (1.0 + math.exp(raw))


def _shipped_threshold() -> float:
    # Read without checking the features (that waits for the first page), so that the
    # training script can import this module to retrain a model whose features changed.
    shipped: dict[str, Any] = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return float(shipped["keep_threshold"])


KEEP_THRESHOLD: Final[float] = _shipped_threshold()
