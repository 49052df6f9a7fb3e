"""The title is the headline the reader sees: the page's one <h1>, rather than the og:title
or JSON-LD headline a CMS rewrites for search engines and social cards. The declared title
serves when there is no single headline, or when the headline is only the site's name."""

from __future__ import annotations

import json

from crawler.extract.article import extract
from tests.byline_pages import BODY

URL = "https://techpoint.example/2026/03/lagos-fintech/"
SEO_TITLE = "Lagos Fintech Funding 2026: Top 5 Startups Raising Money"
HEADLINE = "Five Lagos fintechs raised $40m in March, and one of them is profitable"


def title(h1s: str, site_name: str = "Techpoint Africa") -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": SEO_TITLE})  # fmt: skip
    html = f"""<html lang="en"><head><title>{SEO_TITLE} | {site_name}</title>
<meta property="og:title" content="{SEO_TITLE}">
<meta property="og:site_name" content="{site_name}">
<script type="application/ld+json">{ld}</script></head><body>
{h1s}<article>{BODY}</article></body></html>"""
    article = extract(html, URL)
    assert article is not None
    return article.title


def test_the_one_headline_beats_the_declared_titles() -> None:
    assert title(f"<h1>{HEADLINE}</h1>") == HEADLINE


def test_a_line_break_in_the_headline_parts_words() -> None:
    assert title("<h1>Five Lagos<br>fintechs raised <em>$40m</em><br/>in March</h1>") == (
        "Five Lagos fintechs raised $40m in March"
    )


def test_the_site_name_in_the_headline_is_cut() -> None:
    assert title(f"<h1>{HEADLINE} | Techpoint Africa</h1>") == HEADLINE


def test_a_headline_that_is_the_site_name_gives_way() -> None:
    assert title("<h1>Techpoint Africa</h1>") == SEO_TITLE


def test_a_section_label_once_the_site_name_is_cut_gives_way() -> None:
    assert title("<h1>Opinion | Techpoint Africa</h1>") == SEO_TITLE


def test_several_headlines_give_way_to_the_declared_title() -> None:
    assert title(f"<h1>{HEADLINE}</h1><h1>Most read this week</h1>") == SEO_TITLE


def test_a_headline_linking_to_the_home_page_is_the_sites_name() -> None:
    # Blogger's Contempo: the blog's name, unlike the site name declared, in the only <h1>.
    home = '<h1><a href="https://techpoint.example/">Kwentong Negosyo ni Joanna</a></h1>'
    assert title(home) == SEO_TITLE
    assert title(home.replace("https://techpoint.example/", "/")) == SEO_TITLE
    # With the headline beside it, the headline the declared title names wins.
    assert title(f"{home}<h1>{SEO_TITLE.upper()}</h1>") == SEO_TITLE.upper()
    # A headline linking to its own page, or to an anchor, is still the headline.
    for href in ("/2026/03/lagos-fintech/", "#top"):
        assert title(f'<h1><a href="{href}">{HEADLINE}</a></h1>') == HEADLINE


def test_no_headline_gives_the_declared_title() -> None:
    assert title("") == SEO_TITLE


def test_a_title_escaped_more_than_once_reads_as_plain_text() -> None:
    # Two plugins escaping a JSON-LD headline in turn leave "&amp;#8230;" in it; a theme
    # escaping twice prints "&#x26;" in the <h1> itself.
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "And finally&amp;#8230; trouble brewing"})  # fmt: skip
    html = f"""<html lang="en"><head><script type="application/ld+json">{ld}</script></head>
<body><h1>Techpoint Africa</h1><article>{BODY}</article></body></html>"""
    article = extract(html, URL)
    assert article is not None and article.title == "And finally… trouble brewing"
    assert title("<h1>Fintech &amp;#x26; the law: what changes in March</h1>") == (
        "Fintech & the law: what changes in March"
    )


def test_of_several_headlines_the_one_the_declared_title_names() -> None:
    # The SEO title ("Lagos Fintech Funding 2026: ...") shares most of its words with the
    # headline it rewrites; a site name, a box's label or a modal's title does not.
    headline = "Lagos fintech funding in 2026: five startups raising money"
    for others in ("<h1>Techpoint Africa Daily</h1>", "<h1>Related Articles</h1>",
                   "<h1>Select your location</h1>"):  # fmt: skip
        assert title(f"{others}<h1>{headline}</h1>") == headline
        assert title(f"<h1>{headline}</h1>{others}") == headline


def test_a_headline_printed_twice_is_one_headline() -> None:
    assert title(f"<h1>{HEADLINE}</h1><h1>{HEADLINE}</h1>") == HEADLINE


def test_several_headlines_none_named_give_way_to_the_declared_title() -> None:
    assert title("<h1>Markets this week</h1><h1>Our newsletter</h1>") == SEO_TITLE
