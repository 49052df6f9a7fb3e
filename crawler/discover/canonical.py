"""Canonical URLs and content hashes: one article, one key, however it was reached.

PURE: imports neither scrapy nor sqlalchemy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
_AMP_SUFFIX = re.compile(r"/amp/?$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _keep_param(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _TRACKING_PARAMS and not lowered.startswith(_TRACKING_PREFIXES)


def _netloc(scheme: str, host: str, port: int | None) -> str:
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return host
    return f"{host}:{port}"


def canonicalize_url(url: str) -> str:
    """Return the key under which the article at ``url`` is known.

    Lower-cases scheme and host, drops default ports, fragments (``#comment-3``),
    tracking and comment-reply parameters (``?utm_source``, ``?replytocom=``,
    ``?share=``, ``?m=1``), AMP suffixes (``/amp/``) and sorts what remains of the
    query. ``/?p=123`` shortlinks are kept: only the page's rel=canonical can resolve them.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    path = _AMP_SUFFIX.sub("/", parts.path) or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep_param(k)
    )
    return urlunsplit((scheme, _netloc(scheme, host, parts.port), path, urlencode(query), ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode, case and whitespace differences folded away."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
