"""Property-based fuzzing (hypothesis) of the parsers that read what others wrote.

Each target has a fixed budget of examples, derandomized so every run tries the same inputs:

* the search query language and the SQL it becomes, on a real SQLite corpus (and PostgreSQL
  when $SANKOFA_TEST_PG_URL is set): a search answers or refuses with the one-line syntax
  error, and no query reaches outside its bound parameters;
* the sources-file validator: a file loads or is refused with one line (SourcesError);
* the URL canonicaliser: idempotent, deaf to escape case, host case and default ports;
* extract() on mutated real pages: never raises, and returns within a time bound.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crawler.discover.canonical import canonicalize_url
from crawler.discover.links import _joiner
from crawler.extract.article import extract
from crawler.sources.registry import SourcesError, load_sources
from storage.db import make_engine, open_database, session_factory
from storage.models import Article
from storage.search.api import count_matches, search
from storage.search.syntax import SearchSyntaxError
from tests.corpus_fixtures import build_corpus, store_docs
from tests.storage_fixtures import PG_URL_ENV, wipe

SEARCH_EXAMPLES = 1000
SOURCES_EXAMPLES = 500
URL_EXAMPLES = 2000
EXTRACT_EXAMPLES = 300
EXTRACT_TIME_BOUND = 10.0  # seconds for one page: a safety bound, far above the usual 0.05
PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- search ------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["fintech", "paiement", "مال", "भुगतान", "支付", "การชำระเงิน", "M-Pesa", "o'brien",
     "x' OR 1=1 --", "'; DROP TABLE articles; --", "%", "_", "\\", "\x00", "title:crypto",
     "NEAR(a b)", "a^b", "*", "-", '"', "(", ")", "OR", "AND", "NOT", "pay*", ":", ";"]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(WORDS, min_size=1, max_size=8).map(" ".join),
    st.lists(st.one_of(WORDS, st.text(min_size=1, max_size=6)), max_size=8).map("".join),
)


def _engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield make_engine(build_corpus(tmp_path_factory.mktemp("fuzz") / "corpus.db"))
    if os.environ.get(PG_URL_ENV):
        yield make_engine(build_corpus_on(os.environ[PG_URL_ENV]))


def build_corpus_on(url: str) -> str:
    """The search corpus in PostgreSQL (a database the tests may wipe)."""
    wipe(url)
    engine = open_database(url)
    with session_factory(engine)() as session:
        store_docs(session)
    engine.dispose()
    return url


@pytest.fixture(scope="module", name="corpora")
def corpora_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Session]]:
    engines = list(_engines(tmp_path_factory))
    sessions = [session_factory(engine)() for engine in engines]
    yield sessions
    for session, engine in zip(sessions, engines, strict=True):
        session.close()
        engine.dispose()


def test_search_answers_or_refuses_in_one_line(corpora: list[Session]) -> None:
    totals = [session.scalar(select(Article.id).order_by(Article.id.desc()).limit(1))
              for session in corpora]  # fmt: skip

    @fuzz(SEARCH_EXAMPLES)
    @given(QUERIES)
    @example("0\x00")  # ended FTS5's string literal
    @example("0\rOR")  # made a two-line syntax error
    @example("0\ud800")  # could not be encoded for the database
    def check(query: str) -> None:
        for session in corpora:
            try:
                hits = search(session, query, limit=100)
                count = count_matches(session, query)
            except SearchSyntaxError as error:
                assert "\n" not in str(error) and str(error)
                continue
            finally:
                session.rollback()
            assert len(hits) <= count
            # a quote, a comment or a wildcard in the text never widens the search to all
            assert not (query.strip() and "OR 1=1" in query and count == _all(session))

    check()
    # and nothing was changed by any of those queries
    for session, total in zip(corpora, totals, strict=True):
        assert session.scalar(select(Article.id).order_by(Article.id.desc()).limit(1)) == total


def _all(session: Session) -> int:
    return len(session.scalars(select(Article.id)).all())


# --- sources files -----------------------------------------------------------------------

VALID_ENTRY = {
    "name": '"techcabal"', "url": '"https://techcabal.com/"', "country": '"NG"',
    "languages": '["en"]', "feeds": '["https://techcabal.com/feed/"]', "interval": '"6h"',
    "region": '"africa"', "enabled": "true", "api": '"auto"',
}  # fmt: skip
ODD_VALUES = st.sampled_from(
    ['""', '"x"', "1", "-1", "true", "[]", '["x"]', "[1]", "{}", '"https://"', '"ftp://a/"',
     '"http://a:99999/"', '"0d"', '"XX"', '"en"', '"\\u202e"', '"' + "a" * 5000 + '"',
     "1e999", '"\\\\"', "[[1]]"]
)  # fmt: skip


@st.composite
def sources_files(draw: st.DrawFn) -> bytes:
    entry = dict(VALID_ENTRY)
    for key in draw(st.lists(st.sampled_from([*VALID_ENTRY, "feed", "x"]), max_size=4)):
        if draw(st.booleans()):
            entry[key] = draw(ODD_VALUES)
        else:
            entry.pop(key, None)
    body = "[[sources]]\n" + "".join(f"{key} = {value}\n" for key, value in entry.items())
    raw = body.encode()
    if draw(st.booleans()):  # and then damage the bytes themselves
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=12)) + raw[cut:]
    return raw


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def test_sources_files_load_or_fail_in_one_line(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("sources")

    @fuzz(SOURCES_EXAMPLES)
    @example(b'[[sources]]\nname = "a"\nurl = "http://[::1"\n')  # raised ValueError
    @example(b'[[sources]]\nname = "a"\nurl = "https://a.example/"\nfeeds = ["http://[zz]/"]\n')
    @given(
        st.one_of(sources_files(), st.binary(max_size=200), st.text(max_size=200).map(str.encode))
    )
    def check(raw: bytes) -> None:
        path = folder / "sources.toml"
        path.write_bytes(raw)
        try:
            load_sources(path)
        except SourcesError as error:
            assert "\n" not in str(error) and str(path) in str(error)

    check()


# --- canonical URLs ----------------------------------------------------------------------

HOSTS = st.sampled_from(
    ["example.com", "EXAMPLE.com", "www.techcabal.com", "مثال.اختبار", "例え.テスト",
     "xn--mgbh0fb.xn--mgbachtv", "127.0.0.1", "[::1]"]
)  # fmt: skip
SEGMENT_SAMPLES = ["مقال", "%D9%85%D9%82", "%d9%85%d9%82", "नया", "a b", "~x", "%7Ex", "2024",
                   "amp", "x.html", "a%2Fb", "%25"]  # fmt: skip
VALUE_SAMPLES = ["1", "42", "café", "a b", "%e2%82%ac", ""]
SEGMENTS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "مقال",
                "%D9%85%D9%82",
                "%d9%85%d9%82",
                "नया",
                "a b",
                "~x",
                "%7Ex",
                "2024",
                "amp",
                "x.html",
                "a%2Fb",
                "%25",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8),
    ),
    max_size=4,
)
QUERY_PARAMS = st.lists(
    st.tuples(
        st.sampled_from(["p", "id", "utm_source", "q", "page", "ref", "s"]),
        st.sampled_from(["1", "42", "café", "a b", "%e2%82%ac", ""]),
    ),
    max_size=3,
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/" + "/".join(draw(SEGMENTS)) + draw(st.sampled_from(["", "/"]))
    query = "&".join(f"{k}={v}" for k, v in draw(QUERY_PARAMS))
    return f"{scheme}://{draw(HOSTS)}{port}{path}" + (f"?{query}" if query else "")


def _escapes_lowered(url: str) -> str:
    """`url` with every percent-escape (%XX, hexadecimal) written in lower case."""
    return re.sub(r"%[0-9A-Fa-f]{2}", lambda match: match.group().lower(), url)


@fuzz(URL_EXAMPLES)
@given(urls())
def test_canonical_urls_are_stable(url: str) -> None:
    key = canonicalize_url(url)
    assert canonicalize_url(key) == key
    assert canonicalize_url(_escapes_lowered(url)) == key
    scheme, rest = url.split("://", 1)
    host_end = rest.find("/")
    host = rest[:host_end]
    assert canonicalize_url(f"{scheme}://{host.upper()}{rest[host_end:]}") == key
    default = {"http": ":80", "https": ":443"}[scheme.lower()]
    if ":" not in host.rsplit("]", 1)[-1]:
        assert canonicalize_url(f"{scheme}://{host}{default}{rest[host_end:]}") == key


@fuzz(URL_EXAMPLES)
@given(st.text(max_size=80))
def test_canonicalising_any_text_never_raises(text: str) -> None:
    canonicalize_url(text)


HREFS = st.one_of(
    urls(),
    st.builds(lambda url: "//" + url.split("://", 1)[1], urls()),  # protocol-relative
    st.builds(lambda url: "/" + url.split("://", 1)[1].split("/", 1)[-1], urls()),
    st.sampled_from(["/", "/a/../b/./c", "//x.example", "?p=1", "../up/", "./here", "x/y",
                     "http:no-slashes", "HTTPS://Upper.example/A", "/#frag", "https://e.x?"]),
    st.text(max_size=30),
)  # fmt: skip


@fuzz(URL_EXAMPLES)
@given(urls(), HREFS)
@example("https://site.example/news/2024/story?id=3", "https://\t?page=2")
@example("https://site.example/news/story", "https://\n#top")
@example("https://site.example/news/story", "/\t/other.example/x")
@example("https://site.example/news/story", "https://\r")
def test_cached_link_joining_is_urljoin(base: str, href: str) -> None:
    """Article links are joined through a cache keyed on the base's origin for the hrefs
    whose result cannot depend on the rest of the base: it must answer as urljoin does."""
    try:
        expected: str | type[Exception] = urljoin(base, href)
    except ValueError:  # "//[": neither may answer
        expected = ValueError
    try:
        joined: str | type[Exception] = _joiner(base)(href)
    except ValueError:
        joined = ValueError
    assert joined == expected


# --- extract() on mutated pages ------------------------------------------------------------


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    page = PAGES[draw(st.integers(0, len(PAGES) - 1))].read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        page = _mutate(draw, page)
    return page


def _mutate(draw: st.DrawFn, page: str) -> str:
    cut = draw(st.integers(0, len(page)))
    end = min(len(page), cut + draw(st.integers(0, 5000)))
    mutation = draw(st.sampled_from(["truncate", "delete", "duplicate", "insert", "nest",
                                     "unclose", "swap"]))  # fmt: skip
    if mutation == "truncate":
        return page[:cut]
    if mutation == "delete":
        return page[:cut] + page[end:]
    if mutation == "duplicate":
        return page[:end] + page[cut:end] * draw(st.integers(1, 5)) + page[end:]
    if mutation == "insert":
        junk = draw(st.sampled_from(["\x00", "\ud800", "\udfff", "\u202e", "&#xD800;", "<",
                                     "]]>", "<!--", "<script>", "\ufffd", "&#0;"]))  # fmt: skip
        return page[:cut] + junk * draw(st.integers(1, 50)) + page[cut:]
    if mutation == "nest":
        return page[:cut] + "<div>" * draw(st.integers(100, 5000)) + page[cut:]
    if mutation == "unclose":
        return page.replace("</div>", "", draw(st.integers(1, 200)))
    return page.replace("<p>", "<li>").replace("</p>", "</td>")


@fuzz(EXTRACT_EXAMPLES)
@given(mutated_pages())
def test_extract_never_raises_on_mutated_pages(page: str) -> None:
    started = time.monotonic()
    extract(page, "https://blog.example/2024/05/a-mutated-page/")
    assert time.monotonic() - started < EXTRACT_TIME_BOUND
