"""Bylines printed as a label and a name in elements of their own, inside an element the
page marks as its byline (the BBC World Service's form in every language it publishes in):
the label's word is unknown, the markup and the comma after it are what is read. The byline
that names the author is the byline's text, not the body's."""

from __future__ import annotations

import pytest

from crawler.extract.article import extract
from crawler.extract.byline_region import labelled_names
from crawler.extract.parse import parse_html
from crawler.extract.rules import Rules
from tests.byline_pages import BODY, URL, authors, page


def _item(label: str, value: str) -> str:
    return f"<li><span>{label}</span><span>{value}</span></li>"


def _region(*items: str, marker: str = 'data-testid="byline"') -> str:
    return f'<section {marker} role="region"><ul>{"".join(items)}</ul></section>'


BBC_STYLE = _region(
    _item("Marubuci, ", "Mustapha Musa Kaita"),
    _item("Aiko rahoto daga, ", "Kano Najeriya"),
    '<li><time datetime="2025-03-05">5 Maris 2025</time></li>',
)


@pytest.mark.parametrize(
    ("lang", "label", "name"),
    [
        ("ha", "Marubuci, ", "Mustapha Musa Kaita"),
        ("so", "Qoraa, ", "Maxamed Cabdi Faarax"),
        ("en", "Author, ", "Jane Mwangi"),
        ("ar", "الكاتب، ", "سارة أحمد"),
        ("pt", "Autor: ", "João Silva"),
    ],
)
def test_the_name_after_a_labels_comma_in_a_marked_byline(lang: str, label: str, name: str) -> None:
    assert authors(_region(_item(label, name)), lang) == [name]


def test_only_the_first_labels_names_are_read() -> None:
    """'Reporting from, Kano Najeriya' says where, not who."""
    assert authors(BBC_STYLE, "ha") == ["Mustapha Musa Kaita"]


def test_every_name_under_the_first_label() -> None:
    two = _region(_item("Author, ", "Jane Mwangi"), _item("Author, ", "Kofi Mensah"),
                  _item("Role, ", "Technology Reporter"))  # fmt: skip
    assert authors(two) == ["Jane Mwangi", "Kofi Mensah"]


@pytest.mark.parametrize(
    ("markup", "why"),
    [
        (_region(_item("Marubuci ", "Mustapha Musa Kaita")), "no comma or colon ends the label"),
        (_region(_item("Photo credit by the agency, ", "Getty Images")), "a label of 5 words"),
        (_region(_item("Author, ", "jane mwangi")), "no proper name"),
        ("<ul>" + _item("Author, ", "Jane Mwangi") + "</ul>", "no element marked as a byline"),
        (_region(_item("Author, ", "Jane Mwangi"), f"<li>{'words ' * 60}</li>"), "too long"),
    ],
)
def test_no_name_without_a_marked_short_label(markup: str, why: str) -> None:
    tree = parse_html(page(markup))
    assert labelled_names(tree) == [], why


@pytest.mark.parametrize(
    "marker", ['class="article-byline"', 'id="byLine"', 'data-component="byline-block"']
)
def test_any_attribute_may_mark_the_byline(marker: str) -> None:
    assert authors(_region(_item("Author, ", "Jane Mwangi"), marker=marker)) == ["Jane Mwangi"]


def _in_body(byline: str, rules: Rules | None = None) -> str:
    """The body of a page whose byline sits inside the body's container, as on the BBC's."""
    html = f"""<html lang="ha"><head><title>Agents and tariffs</title></head><body><main>
<h1>Agents and tariffs</h1><div class="story">{byline}{BODY}</div></main></body></html>"""
    article = extract(html, URL, rules or Rules())
    assert article is not None
    return article.text


def test_the_byline_naming_the_author_is_cut_from_the_body() -> None:
    text = _in_body(BBC_STYLE)
    assert text.startswith("Paragraph 0")
    assert "Marubuci" not in text and "Aiko rahoto" not in text


def test_without_the_rule_the_byline_stays_in_the_body() -> None:
    """The rule is what removes it (the ablation's switch)."""
    assert "Marubuci" in _in_body(BBC_STYLE, Rules(cut_bylines=False))


def test_a_marked_byline_naming_nobody_the_page_credits_stays() -> None:
    """Only a byline naming an author is cut: a marked box of other text is the page's."""
    note = "Wannan rahoto ya samu taimakon cibiyar koyar da fasaha ta Kano da abokan aikinta."
    other = f'<div data-testid="byline-note"><p>{note}</p></div>' + _region(
        _item("Marubuci, ", "Aminu Bello")
    )
    text = _in_body(other)
    assert note in text and "Aminu Bello" not in text
