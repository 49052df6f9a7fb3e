"""Article pages that mark their author up nowhere (no JSON-LD, meta author, rel=author or
author class), for the tests of what Sankofa's last-resort author readers find: whatever
follows the headline is the only place a name can come from."""

from __future__ import annotations

from datetime import date

from crawler.extract.article import extract

URL = "https://techweekly.example/2026/03/agents-and-tariffs/"
BODY = "".join(
    f"<p>Paragraph {i}: mobile money agents in Kisumu told our reporter how they adapted to "
    "the new tariff, and what it changed for the traders they serve.</p>"
    for i in range(6)
)


def page(
    after_headline: str, lang: str = "en", footer: str = "", body: str = BODY, after_body: str = ""
) -> str:
    return f"""<html lang="{lang}"><head><title>Agents and tariffs</title></head><body>
<div class="wrap"><h1>Agents and tariffs</h1>{after_headline}<div class="content">{body}</div>
{after_body}</div><footer>{footer}</footer></body></html>"""


def authors(
    after_headline: str, lang: str = "en", footer: str = "", body: str = BODY, after_body: str = ""
) -> list[str]:
    """The authors extraction finds on ``page(after_headline, lang, footer, body, after_body)``."""
    article = extract(page(after_headline, lang, footer, body, after_body), URL)
    assert article is not None
    return article.authors


def published(after_headline: str, lang: str = "en") -> date | None:
    """The publication day extraction finds on ``page(after_headline, lang)``."""
    article = extract(page(after_headline, lang), URL)
    assert article is not None
    return article.published.date() if article.published else None
