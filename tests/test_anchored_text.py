"""Text after an empty anchor (<span id="...">: a table of contents' target, a WordPress
"more" break) stays in the body: trafilatura's precise pass deletes empty inline elements
with the text that follows them. Icons (empty, with a class and no id) are left to it."""

from __future__ import annotations

from crawler.extract.article import extract
from crawler.extract.kept_markup import keep_anchored_text, keep_self_linked_headings
from crawler.extract.parse import parse_html
from tests.rule_baselines import without

URL = "https://habari.example/2026/05/fintech-kenya/"


PARAGRAPH = (
    "<p>Paragraph {i}: fintech lenders in Nairobi and Mombasa told our reporter how the new "
    "rules on digital credit changed the loans they offer to traders and farmers.</p>"
)


def page() -> str:
    sections = "".join(
        f'<h2><span class="toc-section" id="section_{i}"></span>Section heading {i}</h2>'
        + PARAGRAPH.format(i=i)
        for i in range(4)
    )
    more = (
        '<p>The opening of the story, before the break. <span id="more-4021"></span>'
        "The rest of that paragraph, which the reader sees after the break.</p>"
    )
    return f"""<html lang="en"><head><title>Digital credit in Kenya | Habari</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Digital credit in Kenya</h1><div class="entry-content">{more}{sections}</div>
</article><footer><p>© 2026 Habari</p></footer></body></html>"""


def test_headings_and_text_after_anchors_are_kept() -> None:
    article = extract(page(), URL)
    assert article is not None
    for i in range(4):
        assert f"Section heading {i}" in article.text
    assert "The rest of that paragraph" in article.text
    assert article.text.index("Section heading 1") < article.text.index("Paragraph 1")


def test_without_the_rule_the_precise_pass_loses_them() -> None:
    # What the rule is for: the ablation's baseline on the same page.
    article = extract(page(), URL, without("keep_anchored_text"))
    assert article is not None
    assert "Section heading" not in article.text
    assert "The rest of that paragraph" not in article.text


def test_only_empty_inline_elements_named_by_an_id_are_removed() -> None:
    tree = parse_html(
        "<html><body><p>"
        '<span id="a"></span>after anchor '
        '<i class="icon-clock"></i>after icon '
        '<span id="b">named text</span> after named '
        '<div id="c"></div>after block'
        "</p></body></html>"
    )
    keep_anchored_text(tree)
    assert tree.find(".//span[@id='a']") is None
    assert tree.find(".//i") is not None  # icons: trafilatura decides
    assert tree.find(".//span[@id='b']") is not None  # not empty
    assert tree.find(".//div[@id='c']") is not None  # not inline
    assert "after anchor" in tree.find(".//p").text


# --- headings that link to themselves -------------------------------------------------------

TUTORIAL_URL = "https://catatan.example/panduan/memasang-dompet-digital/"


def tutorial() -> str:
    """A static site's tutorial: each heading is a link to its own anchor (Hugo, Docusaurus,
    Nuxt Content, VitePress and Sphinx themes all do this), each section in a box of its own
    (so that it is no list article's item heading: tests/test_item_headings.py)."""
    steps = "".join(
        f'<section><h2 id="langkah-{i}"><a href="#langkah-{i}">Langkah {i}: siapkan akun</a></h2>'
        f"<p>Bagian {i}: pengguna di Surabaya dan Makassar menjelaskan cara mereka membuka "
        "akun dompet digital, memverifikasi identitas, lalu mengisi saldo di warung.</p></section>"
        for i in range(1, 5)
    )
    return f"""<html lang="id"><head><title>Memasang dompet digital</title></head>
<body><nav><a href="/">Beranda</a> <a href="/panduan/">Panduan</a></nav>
<main><article><h1>Memasang dompet digital</h1><div class="prose">{steps}</div></article></main>
<footer><p>Catatan, 2026</p></footer></body></html>"""


def test_headings_linking_to_their_own_anchor_are_kept() -> None:
    article = extract(tutorial(), TUTORIAL_URL)
    assert article is not None
    for i in range(1, 5):
        assert f"Langkah {i}: siapkan akun" in article.text
    assert article.text.index("Langkah 2") < article.text.index("Bagian 2")


def test_without_the_rule_the_precise_pass_drops_them_as_links() -> None:
    rules = without("keep_linked_headings")
    article = extract(tutorial(), TUTORIAL_URL, rules)
    assert article is not None
    assert "Langkah" not in article.text
    assert "Bagian 1" in article.text


def test_only_a_link_to_the_heading_itself_is_unwrapped() -> None:
    tree = parse_html(
        "<html><body>"
        '<h2 id="setup"><a href="#setup">Setup</a></h2>'
        '<h3><span id="deep"></span><a href="#deep">Deep anchor</a></h3>'
        '<h3><a href="#budget">Budget</a> <a href="#moodboard">Mood board</a></h3>'
        '<h2 id="api">API<a class="headerlink" href="#api">¶</a></h2>'
        "</body></html>"
    )
    keep_self_linked_headings(tree)
    assert tree.xpath("//h2[@id='setup']/a") == []  # to itself: unwrapped
    assert tree.xpath("//h2[@id='setup']")[0].text_content() == "Setup"
    assert tree.xpath("//h3[span]/a") == []  # to an id inside it: unwrapped
    assert len(tree.xpath("//h3[not(span)]/a")) == 2  # a table of contents: left alone
    assert tree.xpath("//h2[@id='api']/a") == []  # a pilcrow: removed, the heading kept
    assert tree.xpath("//h2[@id='api']")[0].text_content() == "API"


def test_a_heading_whose_self_link_is_an_icon_is_kept() -> None:
    """Gatsby's and Docusaurus's hash links: an icon before the text, a link with no text,
    for which the precise pass deletes the whole heading."""
    icon = '<svg aria-hidden="true" viewBox="0 0 16 16"><path d="M4 9h1v1H4z"></path></svg>'
    html = tutorial().replace('"><a href="#langkah-', '"><a class="anchor" href="#langkah-')
    html = html.replace('">Langkah ', f'">{icon}</a>Langkah ').replace(
        ": siapkan akun</a>", ": siapkan akun"
    )
    assert 'class="anchor" href="#langkah-1">' + icon + "</a>Langkah 1" in html
    article = extract(html, TUTORIAL_URL)
    off = extract(html, TUTORIAL_URL, without("keep_linked_headings"))
    assert article is not None and off is not None
    assert "Langkah 3: siapkan akun" in article.text
    assert "Langkah 3" not in off.text
