"""The canonical URL: one article, one key, however its URL was written."""

from __future__ import annotations

import pytest

from crawler.discover.canonical import canonicalize_url


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # percent-escapes in either case: Arabic, Hindi and Thai slugs are written both ways
        (
            "https://a.example/%D9%85%D9%82%D8%A7%D9%84/",
            "https://a.example/%d9%85%d9%82%d8%a7%d9%84/",
        ),
        ("https://a.example/%E0%A4%B9/", "https://a.example/%e0%a4%b9/"),
        # the same slug raw or escaped
        ("https://a.example/مقال/", "https://a.example/%D9%85%D9%82%D8%A7%D9%84/"),
        # IDNA hosts, in Unicode or punycode, any case
        ("https://مثال.اختبار/x/", "https://XN--MGBH0FB.xn--mgbachtv/x/"),
        # default ports, host case, fragments, tracking parameters, query order
        ("https://A.example:443/x/?b=2&a=1", "https://a.example/x/?a=1&b=2#comments"),
        ("http://a.example:80/x/", "http://a.example/x/?utm_source=feed&fbclid=1"),
        ("https://a.example/x/amp/", "https://a.example/x/?replytocom=4"),
        ("https://a.example/~user/", "https://a.example/%7Euser/"),
    ],
)
def test_spellings_of_one_url_share_one_key(first: str, second: str) -> None:
    assert canonicalize_url(first) == canonicalize_url(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://a.example/?p=42", "https://a.example/?p=43"),  # shortlinks stay apart
        ("https://a.example:8443/x/", "https://a.example/x/"),  # a port that is no default
        ("https://a.example/a%2Fb", "https://a.example/a/b"),  # an escaped slash is data
        ("http://a.example/x/", "https://a.example/x/"),
    ],
)
def test_different_urls_keep_different_keys(first: str, second: str) -> None:
    assert canonicalize_url(first) != canonicalize_url(second)


@pytest.mark.parametrize(
    "url",
    [
        "https://A.example:443/%d9%85/?b=%e2%82%ac&a=1",
        "https://例え.テスト/パス?q=値",
        "http://[::1]:80/x",
        "https://a.example:99999/x",  # a port out of range: kept as written, no error
        "not a url at all",
        "",
    ],
)
def test_canonical_form_is_idempotent_and_never_raises(url: str) -> None:
    key = canonicalize_url(url)
    assert canonicalize_url(key) == key
