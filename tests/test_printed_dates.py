"""Publication dates printed as a short line after the headline, in markup no class names:
"<p>December 15, 2025</p>", "Updated May 6, 2025 • 8 min read". Nothing machine-readable
dates these pages, so the line is all there is."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.article import extract
from tests.byline_pages import URL, page


def published(after_headline: str, lang: str = "en") -> date | None:
    article = extract(page(after_headline, lang), URL)
    assert article is not None
    return article.published.date() if article.published else None


@pytest.mark.parametrize(
    ("after_headline", "lang", "day"),
    [
        ("<p>December 15, 2025</p>", "en", date(2025, 12, 15)),
        ("<div><span>Updated October 23, 2025</span><span>•</span><span>8 min read</span>"
         "</div>", "en", date(2025, 10, 23)),
        ("<div><div>Jane Doe</div><div>Published on Oct 21, 2025</div></div>", "en",
         date(2025, 10, 21)),
        ("<p>17.05.2021</p>", "de", date(2021, 5, 17)),
        ("<p>27 de fevereiro de 2024</p>", "pt", date(2024, 2, 27)),
        ("<p>5 Machi 2024</p>", "sw", date(2024, 3, 5)),
    ],
    ids=["english", "updated, read time", "published on", "german digits", "portuguese",
         "swahili"],
)  # fmt: skip
def test_a_short_dated_line_after_the_headline(after_headline: str, lang: str, day: date) -> None:
    assert published(after_headline, lang) == day


def test_a_read_time_run_into_the_date_is_not_read_as_minutes_ago() -> None:
    # dateparser finds "2025•8 min" first, and as a relative time it would be the crawl's
    # own moment.
    assert published("<p>Updated October 23, 2025•8 min read</p>") == date(2025, 10, 23)


def test_a_date_inside_a_sentence_is_no_publication_date() -> None:
    sentence = "<p>On March 3, 2024, the regulator capped agent fees at two percent.</p>"
    assert published(sentence) is None


def test_a_date_far_below_the_headline_is_no_publication_date() -> None:
    items = "".join(f"<li>Step {i}</li>" for i in range(40))
    assert published(f"<ul>{items}</ul><p>May 5, 2025</p>") is None
