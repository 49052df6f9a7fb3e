"""Bytes to text for HTML pages whose declared charset may be wrong. PURE.

Sites often declare ISO-8859-1 (a server default) while serving UTF-8, or declare
nothing in the header and only in a ``<meta charset>``. Bytes that decode strictly as
UTF-8 and contain multi-byte sequences are, in practice, UTF-8: stray Latin-1 text
almost never forms valid UTF-8. Otherwise w3lib's HTML rules (BOM, header, meta, then
sniffing) decide.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode


def decode_html(body: bytes, content_type: str) -> str:
    """Decode an HTML response body to text, given its Content-Type header ("" if none)."""
    if _is_multibyte_utf8(body):
        return body.decode("utf-8").lstrip("\ufeff")
    _, text = html_to_unicode(content_type or None, body)
    return str(text)


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def is_html(content_type: str, body: bytes) -> bool:
    """HTML by header, or (header missing or generic) by the first bytes."""
    lowered = content_type.lower()
    if "html" in lowered:
        return True
    if lowered and not lowered.startswith(("application/octet-stream", "text/plain")):
        return False
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
