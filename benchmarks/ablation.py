"""What each cleaning rule of extraction is worth: turn it off, count the pages it changes
and the body F1 it adds, on WCXB-dev articles and on Zyte's article pages.

A rule that removes text must pay on labelled pages it was not written from: a positive
delta on one set and a negative one on the other is a rule fitted to one set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from types import ModuleType

from crawler.extract.article import read_page
from crawler.extract.rules import RULES, Rules

# (set name, page id, url, html, true body)
Page = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class RuleEffect:
    rule: str
    changed: dict[str, int]  # set -> pages whose body differs without the rule
    delta: dict[str, float]  # set -> mean F1 with every rule minus mean F1 without this one


def body(page: Page, rules: Rules) -> str:
    article = read_page(page[3], page[2], rules)
    return article.text if article is not None else ""


def effects(scorer: ModuleType, pages: Sequence[Page]) -> list[RuleEffect]:
    baseline = [body(page, RULES) for page in pages]
    base_f1 = _f1s(scorer, pages, baseline)
    found = []
    for rule in (f.name for f in fields(Rules)):
        texts = [body(page, replace(RULES, **{rule: False})) for page in pages]
        f1s = _f1s(scorer, pages, texts)
        changed: dict[str, int] = {}
        delta: dict[str, float] = {}
        for name in sorted({page[0] for page in pages}):
            idx = [i for i, page in enumerate(pages) if page[0] == name]
            changed[name] = sum(texts[i] != baseline[i] for i in idx)
            delta[name] = sum(base_f1[i] - f1s[i] for i in idx) / len(idx)
        found.append(RuleEffect(rule, changed, delta))
    return found


def _f1s(scorer: ModuleType, pages: Sequence[Page], texts: Sequence[str]) -> list[float]:
    return [
        scorer.score_page(page[1], page[4], text, 1, False).f1
        for page, text in zip(pages, texts, strict=True)
    ]


def table(found: Sequence[RuleEffect]) -> list[str]:
    sets = sorted(found[0].changed) if found else []
    width = max([len("rule"), *(len(effect.rule) for effect in found)]) + 2
    lines = [
        "# ablation: each rule turned off alone; pages changed and body F1 it adds "
        "(with - without; > 0: the rule pays)",
        f"{'rule':<{width}}"
        + "".join(f"{name + ' pages':>14}{name + ' dF1':>13}" for name in sets),
    ]
    for effect in found:
        lines.append(
            f"{effect.rule:<{width}}"
            + "".join(f"{effect.changed[n]:>14d}{effect.delta[n]:>+13.4f}" for n in sets)
        )
    return lines
