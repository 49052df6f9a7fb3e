"""A title's last part that names the site is cut, however the page spells the site's name:
the host says what the site is called when og:site_name does not."""

from __future__ import annotations

import pytest

from crawler.extract.article import extract
from tests.byline_pages import BODY


def title(declared: str, url: str, site_name: str = "") -> str:
    site = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    html = f"""<html lang="en"><head><title>{declared}</title>{site}</head><body>
<article><h2>What changed</h2>{BODY}</article></body></html>"""
    article = extract(html, url)
    assert article is not None
    return article.title


@pytest.mark.parametrize(
    ("declared", "url", "expected"),
    [
        ("Top 5 HR Management Software in 2026 | DianaHR",
         "https://www.getdianahr.com/blog/best-hr-software",
         "Top 5 HR Management Software in 2026"),
        ("Best Mattress For Side Sleepers – mattressnap.com",
         "https://mattressnap.com/best-mattress-for-side-sleepers/",
         "Best Mattress For Side Sleepers"),
        ("The Ultimate Car Maintenance Checklist | Bridgestone Tires",
         "https://tires.bridgestone.com/en-us/learn/maintenance/checklist",
         "The Ultimate Car Maintenance Checklist"),
        # A long last part is a subtitle, even when it names the site.
        ("recap 2025 - updates at OSSO – OSSO B.V", "https://www.osso.nl/blog/2025/recap2025/",
         "recap 2025 - updates at OSSO"),
    ],
    ids=["brand on a longer host", "host with its dot", "two host labels", "word limit"],
)  # fmt: skip
def test_a_last_part_naming_the_host_is_cut(declared: str, url: str, expected: str) -> None:
    assert title(declared, url) == expected


@pytest.mark.parametrize(
    ("declared", "url"),
    [
        ("Lagos fintech raises $5m | Funding", "https://techcabal.com/2026/03/lagos-fintech/"),
        ("Why we built it - the Stripe story of payments in Africa",
         "https://stripe.com/blog/why-we-built-it"),
    ],
    ids=["a section name, not the host", "a subtitle that names the host"],
)  # fmt: skip
def test_other_last_parts_stay(declared: str, url: str) -> None:
    assert title(declared, url) == declared


def test_the_declared_site_name_is_still_cut() -> None:
    assert title("Mobile money in Kisumu | The Weekly", "https://tw.example/a/", "The Weekly") == (
        "Mobile money in Kisumu"
    )


def headline(h1: str, window_title: str, og_title: str) -> str:
    html = f"""<html lang="sw"><head><title>{window_title}</title>
<meta property="og:title" content="{og_title}"></head><body>
<header><h1 class="title">{h1}</h1></header><div class="post">{BODY}</div></body></html>"""
    article = extract(html, "https://shambani.blogspot.com/2025/06/bei-za-mahindi.html")
    assert article is not None
    return article.title


def test_a_headline_that_is_the_window_titles_other_part_is_the_sites_name() -> None:
    # Blogger prints the blog's name as the page's only <h1>, the post's title in an <h3>.
    post = "Wakulima wa Arusha watumia programu ya simu kutabiri bei"
    assert headline("Shamba Letu", f"Shamba Letu: {post}", post) == post


def test_a_declared_title_that_is_the_sites_name_does_not_replace_the_headline() -> None:
    post = "Which robotic lawnmower is suitable for which lawn size?"
    assert headline(post, f"{post} | Robomow", "Robomow") == post
