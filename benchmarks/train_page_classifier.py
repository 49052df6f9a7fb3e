"""Train the page classifier and measure it on sites it has not seen (dev only).

    pip install scikit-learn numpy    # dev only: the shipped model is JSON, read without them
    python -m benchmarks.train_page_classifier [--no-write] [--cache FILE] [--skip-ablation]

Pages: WCXB-dev (1,497 pages of 2025 labelled article, product, service, listing, collection,
forum, documentation) and the 181 Zyte article pages (2019) as extra articles. Features: the
runtime's own ``crawler.extract.page_features`` on the tree ``trafilatura.load_html`` gives
(and, for the body variant, on the text ``trafilatura.extract`` finds), so training and the
crawl cannot drift. Every figure is 5-fold cross-validation GROUPED BY REGISTERED DOMAIN: no
site has pages on both sides, so the figures predict sites the model never saw.

The rules, fixed before looking at the results:

* articles are WCXB article pages with a non-empty truth (as ``score_pagetypes.py`` scores
  them; the 2 empty ones are bot walls) and all Zyte pages; the counted non-articles are the
  product, service, listing, collection and forum pages; documentation is reported apart;
* KEEP THRESHOLD: sort the out-of-fold article scores ascending and take the one at index
  floor(0.005 * n): at most 0.5% of the articles score below it (article recall >= 0.995);
* the hand-made fixture pages of tests/fixtures/pages are never trained on nor used to
  choose anything: they are only scored at the end as a sanity check.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import trafilatura
from tld import get_fld

from crawler import url_words
from crawler.extract.page_features import (
    BODY_FEATURE_NAMES,
    FEATURE_GROUPS,
    FEATURE_NAMES,
    body_features,
    page_features,
)

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "benchmarks"
WCXB_DIR = SHARED / "wcxb-dev"
ZYTE_DIR = SHARED / "article-extraction"
FIXTURES = PROJECT / "tests" / "fixtures" / "pages"
MODEL_FILE = PROJECT / "crawler" / "extract" / "page_classifier.json"
FEATURES_SOURCE = PROJECT / "crawler" / "extract" / "page_features.py"
COUNTED = ("product", "service", "listing", "collection", "forum")
KINDS = ("article", "listing", "product", "service", "forum", "collection", "documentation")
RECALL = 0.995
SEED = 0
FOLDS = 5


@dataclass(slots=True)
class Page:
    page_id: str
    source: str  # "wcxb" or "zyte"
    url: str
    kind: str
    empty: bool  # WCXB truth is empty (bot wall, script-only shell)
    group: str  # registered domain
    features: list[float]
    body: list[float]


@dataclass(slots=True)
class Data:
    pages: list[Page]
    x: Any  # page features
    xb: Any  # page + body features
    kind: Any  # array of kinds
    groups: Any
    article: Any  # scored articles (positives)
    counted: Any  # counted non-articles
    docs: Any
    zyte: Any
    archive: Any  # at the address of a category, tag, author or search archive
    folds: list[tuple[Any, Any]] = field(default_factory=list)
    feature_ms: list[float] = field(default_factory=list)


# --- data -------------------------------------------------------------------------------------


def load(cache: Path | None) -> Data:
    # The cache is only good for the feature code that filled it.
    names = [
        hashlib.sha256(FEATURES_SOURCE.read_bytes()).hexdigest(),
        *FEATURE_NAMES,
        *BODY_FEATURE_NAMES,
    ]
    if cache and cache.exists():
        stored = json.loads(cache.read_text())
        if stored["names"] == names:
            print(f"features from cache {cache}", file=sys.stderr)
            return _data([Page(**p) for p in stored["pages"]], stored["feature_ms"])
    pages, feature_ms = _read_all()
    if cache:
        cache.write_text(
            json.dumps(
                {"names": names, "feature_ms": feature_ms, "pages": [_as_dict(p) for p in pages]}
            )
        )
    return _data(pages, feature_ms)


def _as_dict(page: Page) -> dict[str, Any]:
    return {name: getattr(page, name) for name in Page.__slots__}


def _read_all() -> tuple[list[Page], list[float]]:
    pages: list[Page] = []
    feature_ms: list[float] = []
    wcxb = json.loads((WCXB_DIR / "ground-truth.json").read_text("utf-8"))
    zyte = json.loads((ZYTE_DIR / "ground-truth.json").read_text("utf-8"))
    items = [("wcxb", WCXB_DIR, i, wcxb[i]) for i in sorted(wcxb)]
    items += [("zyte", ZYTE_DIR, i, zyte[i]) for i in sorted(zyte)]
    for n, (source, root, page_id, item) in enumerate(items):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        text = html.decode("utf-8", errors="replace")
        url = item.get("url") or ""
        tree = trafilatura.load_html(text)
        started = time.perf_counter()
        features = page_features(tree, url)
        if source == "wcxb":
            feature_ms.append((time.perf_counter() - started) * 1000)
        body = trafilatura.extract(text, include_comments=False, favor_precision=True, fast=True)
        kind = item.get("page_type", "article")
        empty = source == "wcxb" and not (item.get("articleBody") or "").strip()
        group = get_fld(url, fail_silently=True) if url else None
        pages.append(
            Page(
                f"{source}:{page_id}",
                source,
                url,
                kind,
                empty,
                group or f"page:{page_id}",
                features,
                body_features(body or "", tree),
            )
        )
        if n % 200 == 0:
            print(f"  features {n}/{len(items)}", file=sys.stderr)
    return pages, feature_ms


def _data(pages: list[Page], feature_ms: list[float]) -> Data:
    kind = np.array([p.kind for p in pages])
    empty = np.array([p.empty for p in pages])
    data = Data(
        pages=pages,
        x=np.array([p.features for p in pages], dtype=float),
        xb=np.array([p.features + p.body for p in pages], dtype=float),
        kind=kind,
        groups=np.array([p.group for p in pages]),
        article=(kind == "article") & ~empty,
        counted=np.isin(kind, COUNTED),
        docs=kind == "documentation",
        zyte=np.array([p.source == "zyte" for p in pages]),
        archive=np.array([url_words.archive_address(p.url) for p in pages]),
        feature_ms=feature_ms,
    )
    from sklearn.model_selection import StratifiedGroupKFold

    split = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    data.folds = list(split.split(data.x, kind, data.groups))
    return data


# --- models -----------------------------------------------------------------------------------


def logistic() -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=5000))


def boosted(multi: bool = False) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=60 if multi else 300,
        learning_rate=0.1 if multi else 0.05,
        max_leaf_nodes=6 if multi else 8,
        min_samples_leaf=15 if multi else 30,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=SEED,
    )


@dataclass(frozen=True, slots=True)
class Config:
    name: str
    make: Callable[[], Any]
    docs: str  # "excluded", "negative" or "class" (multi-class, P(article) read off it)
    body: bool = False

    def train_mask(self, data: Data) -> Any:
        mask = data.article | data.counted
        return mask | data.docs if self.docs != "excluded" else mask

    def labels(self, data: Data) -> Any:
        if self.docs == "class":
            return np.where(data.article, "article", data.kind)
        return data.article.astype(int)


def out_of_fold(config: Config, data: Data, columns: Sequence[int] | None = None) -> Any:
    """P(article) of every page from the model of the fold that did not see its domain."""
    x = data.xb if config.body else data.x
    if columns is not None:
        x = x[:, columns]
    mask, y = config.train_mask(data), config.labels(data)
    scores = np.zeros(len(data.pages))
    for train, test in data.folds:
        train = train[mask[train]]
        model = config.make().fit(x[train], y[train])
        proba = model.predict_proba(x[test])
        scores[test] = proba[
            :, list(model.classes_).index(1 if config.docs != "class" else "article")
        ]
    return scores


def kind_out_of_fold(make: Callable[[], Any], data: Data) -> Any:
    """Out-of-fold class probabilities of a multi-class kind model (columns = KINDS)."""
    mask = data.article | data.counted | data.docs
    y = np.where(data.article, "article", data.kind)
    proba = np.zeros((len(data.pages), len(KINDS)))
    for train, test in data.folds:
        train = train[mask[train]]
        model = make().fit(data.x[train], y[train])
        order = [list(model.classes_).index(k) for k in KINDS]
        proba[test] = model.predict_proba(data.x[test])[:, order]
    return proba


# --- figures ----------------------------------------------------------------------------------


def keep_threshold(scores: Any, positive: Any) -> float:
    """The out-of-fold article score at index floor(0.005 n) of the ascending article scores:
    at most 0.5% of the articles fall below it."""
    ranked = np.sort(scores[positive])
    return float(ranked[math.floor((1 - RECALL) * len(ranked))])


def kept_at(data: Data, scores: Any, threshold: float) -> Any:
    """The runtime's keep rule (crawler.extract.classify): the score reaches the threshold,
    and a page at an archive's address is kept only when the model takes it for an article."""
    from crawler.extract.classify import ARTICLE_THRESHOLD

    return (scores >= threshold) & ~(data.archive & (scores < ARTICLE_THRESHOLD))


def figures(data: Data, scores: Any, threshold: float) -> dict[str, Any]:
    kept = kept_at(data, scores, threshold)
    wcxb_articles = data.article & ~data.zyte
    result: dict[str, Any] = {
        "threshold": round(threshold, 4),
        "auc": round(_auc(scores, data.article, data.counted), 4),
        "articles_accepted": _share(kept[data.article]),
        "wcxb_articles_accepted": _share(kept[wcxb_articles]),
        "zyte_accepted": _share(kept[data.zyte]),
        "nonarticles_rejected": _share(~kept[data.counted]),
        "documentation_rejected": _share(~kept[data.docs]),
    }
    for kind in COUNTED:
        result[f"{kind}_rejected"] = _share(~kept[data.kind == kind])
    lost = data.article & ~kept
    result["lost_articles"] = [p.page_id for p, m in zip(data.pages, lost, strict=True) if m]
    return result


def nested_figures(data: Data, scores: Any) -> dict[str, float]:
    """The threshold of each fold chosen on the other folds' articles only: no page decides
    the threshold it is judged by."""
    kept = np.zeros(len(data.pages), dtype=bool)
    for _, test in data.folds:
        others = np.ones(len(data.pages), dtype=bool)
        others[test] = False
        kept[test] = kept_at(data, scores, keep_threshold(scores, data.article & others))[test]
    return {
        "articles_accepted": _share(kept[data.article]),
        "nonarticles_rejected": _share(~kept[data.counted]),
    }


def _share(flags: Any) -> float:
    return round(float(np.mean(flags)), 4) if len(flags) else float("nan")


def _auc(scores: Any, positive: Any, negative: Any) -> float:
    from sklearn.metrics import roc_auc_score

    mask = positive | negative
    return float(roc_auc_score(positive[mask], scores[mask]))


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    cols = [
        "auc",
        "threshold",
        "articles_accepted",
        "wcxb_articles_accepted",
        "zyte_accepted",
        "nonarticles_rejected",
        *(f"{k}_rejected" for k in COUNTED),
        "documentation_rejected",
    ]
    short = [
        "AUC",
        "thresh",
        "art",
        "wcxb",
        "zyte",
        "REJ",
        "prod",
        "serv",
        "list",
        "coll",
        "forum",
        "docs",
    ]
    width = max(len(name) for name in rows) + 2
    print(f"{'':<{width}}" + "".join(f"{s:>8}" for s in short))
    for name, row in rows.items():
        print(f"{name:<{width}}" + "".join(f"{row[c]:>8.3f}" for c in cols))


# --- kinds ------------------------------------------------------------------------------------


def final_kinds(data: Data, scores: Any, proba: Any) -> list[str]:
    """The runtime's rule on out-of-fold scores: "article" at or above 0.5 unless the address
    is an archive's, "other" for a page with next to no text, else the most probable
    non-article kind."""
    from crawler.extract.classify import _OTHER_BELOW, _OTHER_TEXT, ARTICLE_THRESHOLD

    text = data.x[:, _OTHER_TEXT]
    kinds = []
    for score, row, chars, archive in zip(scores, proba, text, data.archive, strict=True):
        if score >= ARTICLE_THRESHOLD and not archive:
            kinds.append("article")
        elif chars < _OTHER_BELOW:
            kinds.append("other")
        else:
            kinds.append(KINDS[1 + int(np.argmax(row[1:]))])
    return kinds


def print_confusion(data: Data, kinds: Sequence[str]) -> dict[str, Any]:
    truth = ["article" if a else k for a, k in zip(data.article, data.kind, strict=True)]
    labels = [*KINDS, "other"]
    table = Counter(zip(truth, kinds, strict=True))
    print(f"{'true/predicted':<16}" + "".join(f"{k[:7]:>8}" for k in labels) + "  correct")
    matrix = {}
    for true in KINDS:
        row = [table[(true, k)] for k in labels]
        matrix[true] = dict(zip(labels, row, strict=True))
        print(
            f"{true:<16}"
            + "".join(f"{n:>8}" for n in row)
            + f"  {table[(true, true)] / max(sum(row), 1):.3f}"
        )
    correct = sum(table[(k, k)] for k in KINDS) / len(truth)
    print(f"accuracy {correct:.3f}")
    return {"matrix": matrix, "accuracy": round(correct, 4)}


# --- export -----------------------------------------------------------------------------------


def export(model: Any, names: Sequence[str]) -> dict[str, Any]:
    """A fitted pipeline (scaler + logistic) or HistGradientBoostingClassifier as JSON."""
    classes = [str(c) for c in model.classes_]
    if hasattr(model, "steps"):
        scaler, lr = model.steps[0][1], model.steps[-1][1]
        return {
            "type": "logistic",
            "features": list(names),
            "classes": classes,
            "mean": [float(m) for m in scaler.mean_],
            "scale": [float(s) for s in scaler.scale_],
            "coef": [[float(w) for w in row] for row in lr.coef_],
            "intercept": [float(b) for b in lr.intercept_],
        }
    per_class: list[list[dict[str, list[Any]]]] = [[] for _ in model._predictors[0]]
    for iteration in model._predictors:
        for k, predictor in enumerate(iteration):
            per_class[k].append(_tree(predictor.nodes, model.learning_rate))
    return {
        "type": "trees",
        "features": list(names),
        "classes": classes,
        "baseline": [float(b) for b in np.ravel(model._baseline_prediction)],
        "trees": per_class,
    }


def _tree(nodes: Any, learning_rate: float) -> dict[str, list[Any]]:
    """One tree as node arrays. Leaf values carry the shrinkage already; inner node values
    do not, so they are scaled alike (they only serve to credit each split). Values keep 7
    digits (a small JSON; the drift is checked after writing); thresholds keep all of theirs,
    since a feature value can equal one exactly."""
    leaf = nodes["is_leaf"].astype(bool)
    return {
        "f": [
            -1 if is_leaf else int(f) for is_leaf, f in zip(leaf, nodes["feature_idx"], strict=True)
        ],
        "t": [
            0 if is_leaf else float(t)
            for is_leaf, t in zip(leaf, nodes["num_threshold"], strict=True)
        ],
        "l": [int(v) for v in nodes["left"]],
        "r": [int(v) for v in nodes["right"]],
        "v": [
            float(f"{(v if is_leaf else v * learning_rate):.7g}")
            for is_leaf, v in zip(leaf, nodes["value"], strict=True)
        ],
    }


# --- main -------------------------------------------------------------------------------------


CONFIGS = {
    "LR binary, docs excluded": Config("lr-excl", logistic, "excluded"),
    "LR binary, docs negative": Config("lr-neg", logistic, "negative"),
    "LR 7-class P(article)": Config("lr-multi", logistic, "class"),
    "GBT binary, docs excluded": Config("gbt-excl", boosted, "excluded"),
    "GBT binary, docs negative": Config("gbt-neg", boosted, "negative"),
    "GBT 7-class P(article)": Config("gbt-multi", lambda: boosted(multi=True), "class"),
    "LR binary + body, docs excl": Config("lr-body", logistic, "excluded", body=True),
    "GBT binary + body, docs excl": Config("gbt-body", boosted, "excluded", body=True),
}
CHOSEN = "GBT binary, docs excluded"
CHOSEN_KIND = "GBT 7-class"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON model")
    parser.add_argument("--cache", type=Path, help="feature cache (JSON) for repeated runs")
    parser.add_argument("--skip-ablation", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = load(args.cache)
    _describe(data)

    print("\n== Article score: grouped 5-fold CV (rows = model), threshold by the 0.995 rule")
    rows, oof = {}, {}
    for name, config in CONFIGS.items():
        oof[name] = out_of_fold(config, data)
        rows[name] = figures(data, oof[name], keep_threshold(oof[name], data.article))
    print_table(rows)
    print("\nnested threshold (each fold's threshold chosen on the other folds' articles):")
    nested = {name: nested_figures(data, oof[name]) for name in CONFIGS}
    for name, row in nested.items():
        print(
            f"  {name:<32} articles {row['articles_accepted']:.4f}  "
            f"non-articles rejected {row['nonarticles_rejected']:.4f}"
        )
    print(f"\nchosen: {CHOSEN}; lost articles: {rows[CHOSEN]['lost_articles']}")

    print("\n== Page kind: grouped CV of the kind models (kind rule as at runtime)")
    kind_proba = {
        "LR 7-class": kind_out_of_fold(logistic, data),
        "GBT 7-class": kind_out_of_fold(lambda: boosted(multi=True), data),
    }
    confusion = {}
    for name, proba in kind_proba.items():
        print(f"\n{name}:")
        confusion[name] = print_confusion(data, final_kinds(data, oof[CHOSEN], proba))

    ablation = {} if args.skip_ablation else run_ablation(data)
    threshold = keep_threshold(oof[CHOSEN], data.article)
    if not args.no_write:
        write_model(data, threshold, rows, nested, confusion, ablation)
        check_runtime(data)
    print(f"\ndone in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


def _describe(data: Data) -> None:
    counts = Counter(data.kind[~data.zyte])
    print(
        f"pages: WCXB {int((~data.zyte).sum())} {dict(counts)}, Zyte {int(data.zyte.sum())}; "
        f"domains {len(set(data.groups))}; scored articles {int(data.article.sum())} "
        f"(2 empty WCXB articles left out)"
    )
    ms = data.feature_ms
    print(
        f"page_features: median {statistics.median(ms):.2f} ms, "
        f"p90 {sorted(ms)[int(0.9 * len(ms))]:.2f} ms per WCXB page ({len(FEATURE_NAMES)} "
        f"features)"
    )


def run_ablation(data: Data) -> dict[str, Any]:
    print(f"\n== Ablation of {CHOSEN}: each feature group left out (grouped CV, 0.995 rule)")
    config = CONFIGS[CHOSEN]
    rows = {
        "all features": figures(
            data, oof_scores := out_of_fold(config, data), keep_threshold(oof_scores, data.article)
        )
    }
    for group, names in FEATURE_GROUPS.items():
        columns = [i for i, n in enumerate(FEATURE_NAMES) if n not in names]
        scores = out_of_fold(config, data, columns)
        rows[f"without {group}"] = figures(data, scores, keep_threshold(scores, data.article))
    print_table(rows)
    return {
        name: {k: v for k, v in row.items() if k != "lost_articles"} for name, row in rows.items()
    }


def write_model(
    data: Data,
    threshold: float,
    rows: dict[str, Any],
    nested: dict[str, Any],
    confusion: dict[str, Any],
    ablation: dict[str, Any],
) -> None:
    config = CONFIGS[CHOSEN]
    mask = config.train_mask(data)
    article = config.make().fit(data.x[mask], config.labels(data)[mask])
    every = data.article | data.counted | data.docs
    kind = boosted(multi=True).fit(
        data.x[every], np.where(data.article, "article", data.kind)[every]
    )
    model = {
        "format": 1,
        "keep_threshold": round(threshold, 6),
        "article": export(article, FEATURE_NAMES),
        "kind": export(kind, FEATURE_NAMES),
        "provenance": {
            "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
            "script": "benchmarks/train_page_classifier.py",
            "data": {
                "wcxb-dev": "Murrough-Foley/web-content-extraction-benchmark c039d5e, "
                "dev split, 1,497 pages (CC-BY-4.0, WCXB, Murrough Foley)",
                "zyte": "scrapinghub/article-extraction-benchmark 4a3bc97, 181 article pages (MIT)",
            },
            "article_model": f"{CHOSEN}: {article!r}",
            "kind_model": f"{CHOSEN_KIND}: {kind!r}",
            "threshold_rule": "out-of-fold article score at index floor(0.005 n) of the "
            "ascending article scores (article recall >= 0.995)",
            "cv": "StratifiedGroupKFold(5, shuffle, seed 0), groups = registered domain",
            "cv_figures": {k: v for k, v in rows[CHOSEN].items() if k != "lost_articles"},
            "cv_nested_threshold": nested[CHOSEN],
            "cv_models": {
                name: {k: v for k, v in row.items() if k != "lost_articles"}
                for name, row in rows.items()
            },
            "cv_kind_accuracy": confusion[CHOSEN_KIND]["accuracy"],
            "cv_kind_confusion": confusion[CHOSEN_KIND]["matrix"],
            "ablation": ablation,
        },
    }
    MODEL_FILE.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"\nwrote {MODEL_FILE.relative_to(PROJECT)} ({MODEL_FILE.stat().st_size // 1024} KB), "
        f"keep threshold {threshold:.4f}"
    )
    _check_export(data, article, kind)


def _check_export(data: Data, article: Any, kind: Any) -> None:
    """The pure-Python evaluation must give sklearn's probabilities."""
    import importlib

    import crawler.extract.classify as runtime

    runtime = importlib.reload(runtime)
    shipped = runtime._model()
    ours = np.array([runtime._binary(shipped["article"], row)[0] for row in data.x])
    theirs = article.predict_proba(data.x)[:, 1]
    ours_kind = np.array([runtime._probabilities(shipped["kind"], row) for row in data.x])
    theirs_kind = kind.predict_proba(data.x)
    print(
        f"pure Python vs sklearn: max |diff| article {np.max(np.abs(ours - theirs)):.2e}, "
        f"kind {np.max(np.abs(ours_kind - theirs_kind)):.2e}"
    )


def check_runtime(data: Data) -> None:
    """Timing of the whole runtime, and the held-out fixture pages (never trained on)."""
    import crawler.extract.classify as runtime

    wcxb = json.loads((WCXB_DIR / "ground-truth.json").read_text("utf-8"))
    spent = []
    for page_id in sorted(wcxb)[::3]:
        html = gzip.decompress((WCXB_DIR / "html" / f"{page_id}.html.gz").read_bytes())
        tree = trafilatura.load_html(html.decode("utf-8", errors="replace"))
        started = time.perf_counter()
        runtime.classify_tree(tree, wcxb[page_id].get("url") or "")
        spent.append((time.perf_counter() - started) * 1000)
    print(
        f"classify_tree (features + models): median {statistics.median(spent):.2f} ms per "
        f"WCXB page ({len(spent)} pages)"
    )
    expected = json.loads((FIXTURES / "expectations.json").read_text("utf-8"))
    print("\n== Held-out sanity check: tests/fixtures/pages (never trained on)")
    for want in (True, False):
        names = [n for n, e in expected.items() if bool(e.get("is_article", True)) is want]
        right = []
        for name in names:
            html = (FIXTURES / expected[name]["file"]).read_text("utf-8")
            result = runtime.classify(html, expected[name]["url"])
            right.append(result.kept if want else not result.kept)
            if right[-1] is False:
                print(
                    f"  miss: {name} kind={result.kind} score={result.article_score:.3f} "
                    f"{result.signals}"
                )
        label = "articles accepted" if want else "non-articles rejected"
        print(f"  {label}: {sum(right)}/{len(right)}")


if __name__ == "__main__":
    sys.exit(main())
