"""An accordion's questions and the answers it hides (an FAQ at the end of a guide, a "how we
rank" box) are read as body text: trafilatura's precise pass deletes the hidden panels, the
toggle buttons and the all-link headings. A menu's toggle, whose panel is a list of links,
leaves its menu out of the body."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from crawler.extract.article import extract
from crawler.extract.rules import RULES

URL = "https://tecnologia.example/guias/como-receber-pix-na-sua-loja/"
PARAGRAPH = (
    "<p>Parte {i}: o comerciante precisa cadastrar uma chave, escolher o banco que vai "
    "receber os valores e conferir as tarifas cobradas em cada transação do mês.</p>"
)
QUESTIONS = (
    "O Pix cobra tarifa do lojista?",
    "Posso usar mais de uma chave na mesma loja?",
)
ANSWERS = (
    "Para pessoas físicas o Pix é gratuito, mas bancos podem cobrar de empresas uma tarifa "
    "por recebimento, definida no contrato de cada conta.",
    "Sim. Uma empresa pode cadastrar até vinte chaves por conta, e muitas lojas usam uma "
    "chave aleatória para cada caixa.",
)
MENU_LINKS = ("Notícias do mercado", "Guias de pagamento", "Fale com a redação")
COMMENT = (
    "Uso o Pix na minha padaria desde 2021 e nunca paguei nada, vale conferir o contrato com "
    "o banco antes de assinar."
)
BIO = (
    "Ana Ribeiro escreve sobre pagamentos e varejo desde 2015 e já passou pelas redações de "
    "dois jornais de economia em São Paulo."
)


def _button_item(i: int) -> str:
    """A React-style item: a button that controls a panel collapsed to height 0."""
    return f"""<div class="FaqItem_item__x1"><button type="button" class="FaqItem_button__q7"
aria-expanded="false" aria-controls="faq-answer-{i}"><p>{QUESTIONS[i]}</p></button>
<div id="faq-answer-{i}" style="height:0;overflow:hidden" aria-hidden="true"
class="collapse-panel"><p>{ANSWERS[i]}</p></div></div>"""


def _link_item(i: int) -> str:
    """A Bootstrap item: a heading that is all link to the collapsed panel beside it."""
    return f"""<div class="panel panel-default"><div class="panel-heading"><h4 class="panel-title">
<a data-toggle="collapse" href="#resposta-{i}" role="button" aria-controls="resposta-{i}">
<span class="toggle-icon"></span>{QUESTIONS[i]}</a></h4></div>
<div id="resposta-{i}" class="panel-collapse collapse hidden">
<div class="panel-body"><p>{ANSWERS[i]}</p></div></div></div>"""


def _details_item(i: int) -> str:
    """HTML's own disclosure widget, classed as a theme classes it ("expandable")."""
    return f"""<details id="expandable-{i}" class="expandable bg-light border-left">
<summary class="h6 my-2" role="heading">{QUESTIONS[i]}</summary><p>{ANSWERS[i]}</p></details>"""


def page(item: Callable[[int], str] = _button_item) -> str:
    body = "".join(PARAGRAPH.format(i=i) for i in range(5))
    faq = "".join(item(i) for i in range(len(QUESTIONS)))
    menu = "".join(f'<li><a href="/secao/{i}/">{t}</a></li>' for i, t in enumerate(MENU_LINKS))
    return f"""<html lang="pt-BR"><head><title>Como receber Pix na sua loja</title></head><body>
<header><button class="menu-toggle" aria-controls="site-menu">Menu</button>
<nav><ul id="site-menu" class="hidden">{menu}</ul></nav></header>
<main><article><h1>Como receber Pix na sua loja</h1>
<div class="entry-content">{body}<h2>Perguntas frequentes</h2>
<div class="faq-accordion accordion-icon-right">{faq}</div></div>
<button class="bio-toggle" aria-controls="sobre-autora">Sobre a autora</button>
<div id="sobre-autora" class="author-box" hidden><h4>Ana Ribeiro</h4><p>{BIO}</p></div>
<button aria-controls="comments">Ver 1 comentário</button>
<div id="comments" class="comments-area" hidden><div class="c-item"><p class="c-name">Marcos</p>
<p>{COMMENT}</p></div></div></article></main>
<footer><p>© 2026 Tecnologia Exemplo</p></footer></body></html>"""


def test_an_accordions_questions_and_hidden_answers_are_body_text() -> None:
    for item in (_button_item, _link_item, _details_item):
        article = extract(page(item), URL)
        assert article is not None
        for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
            assert question in article.text, item.__name__
            assert answer in article.text, item.__name__
            assert article.text.index(question) < article.text.index(answer)
        assert article.text.index("Parte 4") < article.text.index(QUESTIONS[0])
        assert not any(link in article.text for link in MENU_LINKS)  # the menu's panel
        assert COMMENT not in article.text  # a comment thread behind a toggle stays out
        assert BIO not in article.text and article.author_bio == BIO


def test_without_the_rule_the_precise_pass_deletes_them() -> None:
    for item in (_button_item, _link_item, _details_item):
        article = extract(page(item), URL, dataclasses.replace(RULES, keep_accordions=False))
        assert article is not None
        assert "Parte 4" in article.text
        assert ANSWERS[0] not in article.text, item.__name__
