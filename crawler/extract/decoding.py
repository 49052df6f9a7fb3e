"""Bytes to text for HTML pages whose declared charset may be wrong. PURE.

Sites often declare ISO-8859-1 (a server default) while serving UTF-8, or declare
nothing in the header and only in a ``<meta charset>``. Bytes that decode strictly as
UTF-8 and contain multi-byte sequences are, in practice, UTF-8: stray Latin-1 text
almost never forms valid UTF-8. UTF-16 without a byte-order mark is recognised next, by
its NUL bytes (w3lib 2.6 reads it as an 8-bit code page, NULs and all). Otherwise w3lib's
HTML rules (BOM, header, meta, then sniffing) decide. When the charset they name still
leaves undecodable bytes (a page declaring UTF-8 but sent as windows-1252), the real
encoding is detected from the bytes themselves, and kept only if it explains them all.
"""

from __future__ import annotations

import contextlib

import charset_normalizer
from w3lib.encoding import html_to_unicode

_CHAOS_MARGIN = 0.02
_UTF16_SAMPLE = 4096  # bytes looked at to recognise BOM-less UTF-16 by its NUL bytes


def decode_html(body: bytes, content_type: str) -> str:
    """Decode an HTML response body to text, given its Content-Type header ("" if none)."""
    if _is_multibyte_utf8(body):
        return body.decode("utf-8").lstrip("\ufeff")
    # Before w3lib: from 2.6 it decodes BOM-less UTF-16 as an 8-bit code page, NULs and all,
    # with no replacement character to show that it failed.
    utf16 = _bomless_utf16(body[:_UTF16_SAMPLE])
    if utf16:
        with contextlib.suppress(UnicodeDecodeError):
            return body.decode(utf16).lstrip("\ufeff")
    _, declared = html_to_unicode(content_type or None, body)
    text = str(declared)
    if "\ufffd" not in text:
        return text
    return _redetected(body) or text


def _redetected(body: bytes) -> str | None:
    """The body decoded in the encoding its bytes show, if that leaves nothing undecodable."""
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        return None
    # Near-equal "chaos" (mess) often separates look-alike code pages by noise alone
    # (mac_latin2 vs windows-1252 on French text): the language coherence decides between them.
    least_mess = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos <= least_mess + _CHAOS_MARGIN]
    text = str(max(plausible, key=lambda match: match.coherence))
    return text if "\ufffd" not in text else None


def _bomless_utf16(sample: bytes) -> str | None:
    """ "utf-16-le" or "-be" when every other byte of mostly-ASCII markup is NUL."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 64:
        return None
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


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
