"""Characters that must not reach a researcher's terminal or database. PURE.

* NUL and the other C0/C1 control characters are removed everywhere (PostgreSQL refuses NUL
  in text; a terminal obeys the others). Tabs and line breaks stay in the body.
* Bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) are
  removed from metadata (titles, names, tags), where one character can make a terminal
  show a title backwards or disguise a name. The body keeps them: mixed Arabic and Latin
  text legitimately uses them, and bodies are read as documents, not as table cells.
* Lone surrogates (from ``&#xD800;`` or broken UTF-16) cannot be stored as UTF-8: they
  become U+FFFD, like any other undecodable text.

A page whose stored text still holds U+FFFD had bytes that no encoding explains; it is
flagged with ``text_quality = "replacement_chars"`` so that a researcher can filter it.
"""

from __future__ import annotations

import re
from typing import Final

from crawler.items import Article

TEXT_OK: Final = "ok"
TEXT_DAMAGED: Final = "replacement_chars"  # U+FFFD in the title, the body or the bio

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_BODY_JUNK = re.compile(f"[{_CONTROLS}]")
_METADATA_JUNK = re.compile(f"[{_CONTROLS}{_BIDI}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_body(text: str) -> str:
    """Body text without control characters or lone surrogates; everything else kept."""
    return _SURROGATE.sub("\ufffd", _BODY_JUNK.sub("", text))


def clean_metadata(value: str) -> str:
    """A one-line metadata value: no controls, no bidi overrides, no lone surrogates."""
    return " ".join(_SURROGATE.sub("\ufffd", _METADATA_JUNK.sub("", value)).split())


def sanitize_article(article: Article) -> None:
    """Clean every text field of `article` in place and set its text_quality flag."""
    article.text = clean_body(article.text)
    article.author_bio = clean_body(article.author_bio)
    article.title = clean_metadata(article.title)
    article.authors = [name for name in map(clean_metadata, article.authors) if name]
    article.tags = [tag for tag in map(clean_metadata, article.tags) if tag]
    article.categories = [name for name in map(clean_metadata, article.categories) if name]
    for name in ("site_name", "description", "author_url", "image_url"):
        value = getattr(article, name)
        if value is not None:
            setattr(article, name, clean_metadata(value) or None)
    damaged = any("\ufffd" in text for text in (article.title, article.text, article.author_bio))
    article.text_quality = TEXT_DAMAGED if damaged else TEXT_OK
