"""Canonical URLs and content hashes: one article, one key, however it was reached.

PURE: imports neither scrapy nor sqlalchemy (w3lib is the URL library Scrapy itself uses).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

# Query parameters that never change which article a URL shows.
_TRACKING_PARAMS = frozenset(
    {
        "replytocom",
        "share",
        "amp",
        "m",
        "output",
        "noamp",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "source",
        "_ga",
        "spm",
        "nb",
        "doing_wp_cron",
        "preview",
        "s_cid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__")
_AMP_SUFFIX = re.compile(r"(/amp)+/?$")  # every trailing /amp: keys stay idempotent
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _keep(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _TRACKING_PARAMS and not lowered.startswith(_TRACKING_PREFIXES)


def _without_default_port(scheme: str, netloc: str) -> str:
    host, colon, port = netloc.rpartition(":")
    if colon and port.isdigit() and "]" not in port and int(port) == _DEFAULT_PORTS.get(scheme):
        return host
    return netloc


def canonicalize_url(url: str) -> str:
    """Return the key under which the article at ``url`` is known.

    w3lib's canonical form (what Scrapy's duplicate filter uses) does the URL grammar:
    percent-escapes in one case (``%d9%85`` = ``%D9%85``), non-ASCII paths percent-encoded,
    IDNA hosts, sorted query, no fragment (``#comment-3``). On top of it Sankofa drops
    what never changes which article a URL shows: the scheme's default port, tracking and
    comment-reply parameters (``?utm_source``, ``?replytocom=``, ``?share=``, ``?m=1``) and
    AMP suffixes (``/amp/``). ``/?p=123`` shortlinks are kept: only the page's
    rel=canonical can resolve them. Text that is no URL at all comes back stripped.
    """
    stripped = url.strip()
    try:
        parts = urlsplit(w3lib_canonicalize_url(stripped, encoding="utf-8"))
    except ValueError:  # e.g. a port out of range, a host IDNA cannot encode
        return stripped
    scheme = parts.scheme.lower() or "http"
    path = _AMP_SUFFIX.sub("/", parts.path) or "/"
    query = [pair for pair in parse_qsl(parts.query, keep_blank_values=True) if _keep(pair[0])]
    netloc = _without_default_port(scheme, parts.netloc.lower())
    return urlunsplit((scheme, netloc, path, urlencode(query, quote_via=quote), ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode, case and whitespace differences folded away."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
