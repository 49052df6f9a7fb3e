"""Full-text search on a real SQLite database: scripts, query syntax, filters, facets, CLI."""

from __future__ import annotations

import contextlib
import importlib.util
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, delete, insert, select, text
from sqlalchemy.orm import Session

from crawler.cli import main as cli
from storage.db import make_engine, open_database, session_factory, upgrade
from storage.models import Article, Source
from storage.queries import ALL_ARTICLES, ArticleFilter
from storage.repository import store_article, sync_sources
from storage.search.api import count_matches, match_condition, search, search_facets
from storage.search.postgres import SEARCH_VECTOR_SQL, render_tsquery
from storage.search.sqlite import render_fts5
from storage.search.syntax import And, Not, Or, SearchSyntaxError, Term, parse_query
from tests.corpus_fixtures import DOCS, KEYS, SOURCES, build_corpus, store_docs, url_of
from tests.crawling import sankofa
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    backend_fixture,
    bulk_row,
    make_record,
    migrated_engine_fixture,
    session_fixture,
)


@pytest.fixture(scope="module", name="corpus_url")
def corpus_url_fixture(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_corpus(tmp_path_factory.mktemp("search") / "corpus.db")


@pytest.fixture(name="db")
def db_fixture(corpus_url: str) -> Iterator[Session]:
    engine = make_engine(corpus_url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def found(session: Session, query: str, flt: ArticleFilter = ALL_ARTICLES) -> set[str]:
    """The keys of the articles `query` finds (at most 50)."""
    return {
        hit.url.split("?")[0].rsplit("/", 1)[1] for hit in search(session, query, flt, limit=50)
    }


# --- scripts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paiement", {"fr-pay", "fr-bank"}),  # French
        ("Sénégal", {"fr-pay"}),
        ("senegal", {"fr-pay"}),  # diacritics ignored...
        ("ELEVE", {"fr-pay"}),  # ...and case
        ("الرقمي", {"ar-pay"}),  # Arabic
        ("جدا", {"ar-pay"}),  # stored with tanween and shadda: جدًّا
        ("भुगतान", {"hi-pay"}),  # Devanagari: vowel signs stay inside the word
        ("हिन्दी", {"hi-pay"}),
        ("ክፍያ", {"am-pay"}),  # Ethiopic
        ("移动支付", {"zh-pay"}),  # Chinese, trigram index
        ("支付", {"zh-pay"}),  # two characters: trigram vocabulary
        ("者", {"zh-pay"}),  # one character, only at the very end of the bio
        ("记者", {"zh-pay"}),
        ("キャッシュレス", {"ja-pay"}),  # Japanese katakana
        ("決済", {"ja-pay"}),  # kanji
        ("ชำระเงิน", {"th-pay"}),  # Thai, no spaces between words
        ("กรุงเทพ", {"th-pay"}),
        ("ธนาคาร", {"th-pay"}),
    ],
)
def test_every_script_is_searchable(db: Session, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected


def test_a_word_does_not_match_inside_another_in_spaced_scripts(db: Session) -> None:
    assert found(db, "payment") == set()  # "payments" is another word
    assert found(db, "payment*") == {"en-mpesa"}


def test_title_author_and_bio_are_searched(db: Session) -> None:
    assert found(db, "Diallo") == {"fr-pay"}
    assert found(db, "Journaliste") == {"fr-pay"}
    assert found(db, "王芳") == {"zh-pay"}


# --- query syntax -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"mobile money"', {"en-mpesa"}),
        ('"money mobile"', set()),
        ('"paiement mobile"', {"fr-pay"}),
        ("paiement dakar", {"fr-pay"}),
        ("paiement AND abidjan", {"fr-bank"}),
        ("kenya OR sénégal", {"en-mpesa", "fr-pay"}),
        ("paiement NOT crypto", {"fr-pay"}),
        ("paiement -crypto", {"fr-pay"}),
        ('mobile -"mobile money"', {"fr-pay"}),
        ("paiement -(crypto OR abidjan)", {"fr-pay"}),
        ("(kenya OR abidjan) money", {"en-mpesa"}),
        ("paie*", {"fr-pay", "fr-bank"}),
        ('"mobile mon"*', {"en-mpesa"}),
        ("m-pesa", {"en-mpesa"}),
        ("支付 OR ክፍያ", {"zh-pay", "am-pay"}),  # two indexes in one query
        ("支付 监管", {"zh-pay"}),
        ("支付 NOT 微信", set()),
        ("mobile NOT 支付", {"fr-pay", "en-mpesa"}),
        ("支付宝 OR 決済 OR paiement", {"zh-pay", "ja-pay", "fr-pay", "fr-bank"}),
        ("not", {"en-crypto"}),  # lower-case operators are plain words
    ],
)
def test_phrases_booleans_and_prefixes(db: Session, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected
    assert count_matches(db, query) == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"mobile money', "unbalanced quote at character 1"),
        ('fintech "mobile', "unbalanced quote at character 9"),
        ("", "empty search query"),
        ("NOT crypto", "NOT needs a term"),
        ("fintech OR -crypto", "NOT needs a term"),
        ("fintech AND", "ends too early"),
        ("()", "empty parentheses"),
        ("(fintech", "missing ')'"),
        ("fintech)", "unexpected ')'"),
        ("OR fintech", "'OR' where a search term was expected"),
        ("***", "no letters or digits"),
    ],
)
def test_syntax_errors_are_one_clear_line(query: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError) as caught:
        parse_query(query)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_query_text_never_becomes_syntax(db: Session) -> None:
    for hostile in ["'; DROP TABLE articles; --", "title:crypto", "NEAR(a b)", "a^b", '""x""']:
        with contextlib.suppress(SearchSyntaxError):  # refused cleanly is fine too
            search(db, hostile)
    assert db.scalar(select(Article.id).limit(1)) is not None
    assert render_fts5(parse_query("title:crypto NEAR")) == '("title:crypto" AND "NEAR")'


def test_parse_tree_and_binds_tighter_than_or() -> None:
    assert parse_query('a "b c" OR d* -e') == Or(
        (And((Term("a"), Term("b c", phrase=True))), And((Term("d", prefix=True), Not(Term("e")))))
    )


def test_postgresql_tsquery_rendering_quotes_everything() -> None:
    tree = parse_query('o\'brien "mobile money" pay* -crypto')
    assert render_tsquery(tree) == "('o''brien' & 'mobile money' & 'pay':* & !('crypto'))"


# --- ranking, snippets, filters, facets -----------------------------------------------------


def test_relevance_puts_title_matches_first_and_date_sort_is_newest_first(db: Session) -> None:
    by_relevance = [hit.title for hit in search(db, "crypto")]
    assert by_relevance[0] == "Crypto startups court regulators"
    by_date = search(db, "paiement", sort="date")
    assert [hit.published for hit in by_date] == sorted(
        [hit.published for hit in by_date if hit.published], reverse=True
    )
    assert all(hit.score is None for hit in by_date)


def test_snippet_highlights_the_matches(db: Session) -> None:
    (hit,) = search(db, '"paiement mobile" dakar')
    assert "«Dakar»" in hit.snippet.marked() and "«paiement mobile»" in hit.snippet.marked()
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "Dakar"
    (chinese,) = search(db, "支付")
    assert chinese.snippet.marked().count("«支付»") == 3


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (ArticleFilter(languages=("fr",)), {"fr-pay", "fr-bank"}),
        (ArticleFilter(sources=("dakar-tech",)), {"fr-pay", "fr-bank"}),
        (ArticleFilter(countries=("KE", "SN")), {"fr-pay", "fr-bank", "en-mpesa", "en-crypto"}),
        (ArticleFilter(authors=("wanjiru kamau",)), {"en-mpesa", "en-crypto"}),
        (ArticleFilter(has_bio=True), {"fr-pay", "en-mpesa", "ar-pay", "zh-pay"}),
        (ArticleFilter(since=datetime(2024, 1, 1, tzinfo=UTC)),
         {"fr-pay", "ar-pay", "am-pay", "zh-pay"}),
        (ArticleFilter(until=datetime(2023, 1, 1, tzinfo=UTC)), {"en-mpesa", "th-pay"}),
        (ArticleFilter(languages=("en",), has_bio=True), {"en-mpesa"}),
    ],
)  # fmt: skip
def test_every_filter_narrows_the_search(
    db: Session, flt: ArticleFilter, expected: set[str]
) -> None:
    anything = "paiement OR mobile OR crypto OR الدفع OR भुगतान OR ክፍያ OR 支付 OR 決済 OR ชำระเงิน"
    assert found(db, anything, flt) == expected


def test_facets_count_the_matches_by_language_source_and_month(db: Session) -> None:
    facets = search_facets(db, "paiement OR mobile")
    assert facets.total == 3
    assert facets.by_language == [("fr", 2), ("en", 1)]
    assert facets.by_source == [("dakar-tech", 2), ("nairobi-wire", 1)]
    assert facets.by_month == [("2022-11", 1), ("2023-06", 1), ("2024-03", 1)]


# --- the index follows the table ------------------------------------------------------------


def test_updates_and_deletes_keep_the_index_in_sync(session: Session) -> None:
    ids = store_docs(session, DOCS[:1] + DOCS[7:8])
    changed = make_record(url_of("fr-pay"), source="dakar-tech", title="Tout autre sujet",
                          text="Rien à voir.", content_hash="v2", language="fr")  # fmt: skip
    store_article(session, changed)
    assert found(session, "paiement") == set() and found(session, "voir") == {"fr-pay"}
    untouched = make_record(url_of("zh-pay"), source="shanghai-pay", title="English only now",
                            text="No Chinese left.", content_hash="v2")  # fmt: skip
    store_article(session, untouched)
    assert found(session, "支付") == set() and found(session, "移动支付") == set()
    session.execute(delete(Article).where(Article.id == ids["fr-pay"]))
    assert found(session, "voir") == set()
    assert found(session, "english") == {"zh-pay"}


def test_letters_with_two_diacritics_fold_on_both_engines(session: Session) -> None:
    """Vietnamese stacks marks on one letter (ệ, ố): a query without them finds the word,
    and one with them finds the plain spelling, on SQLite and PostgreSQL alike."""
    store_docs(session, DOCS[:1])
    vietnamese = make_record(url_of("vi-pay"), source="dakar-tech", title="Thanh toán số",
                             text="Việt Nam thúc đẩy thanh toán không tiền mặt ở Hà Nội.",
                             content_hash="vi", language="vi")  # fmt: skip
    store_article(session, vietnamese)
    assert found(session, "viet") == found(session, "Việt") == {"vi-pay"}
    assert found(session, "khong tien mat") == {"vi-pay"}
    assert found(session, "Sénégal") == found(session, "senegal") == {"fr-pay"}


def test_bulk_inserted_rows_are_indexed(session: Session) -> None:
    sync_sources(session, SOURCES)
    source_id = session.scalar(select(Source.id).where(Source.name == "tokyo-fin"))
    rows = [{**bulk_row(i), "source_id": source_id, "text": f"決済 番号{i}"} for i in range(50)]
    session.execute(insert(Article), rows)
    assert count_matches(session, "決済") == 50


def test_articles_stored_before_the_search_migration_are_indexed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0003_incremental")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (name, url, languages, created_at) "
                "VALUES ('old', 'https://old.example/', '[]', '2024-01-01')"
            )
        )
        row = {**bulk_row(1), "source_id": 1, "title": "Vieux paiement", "text": "旧的支付"}
        # The table as 0003 left it: later columns (and their defaults) don't exist yet.
        old_table = Table("articles", MetaData(), autoload_with=connection)
        old_row = {key: value for key, value in _plain(row).items() if key in old_table.c}
        connection.execute(insert(old_table).values(old_row))
    upgrade(engine)
    with session_factory(engine)() as session:
        assert count_matches(session, "paiement") == 1 and count_matches(session, "支付") == 1
    engine.dispose()


def _plain(row: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in row.items() if key in Article.__table__.c}


# --- the command line -----------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`sankofa ARGS` in this process: exit status, stdout, stderr."""
    status = cli(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_search_command_prints_matches_with_snippets(corpus_url: str) -> None:
    result = sankofa("search", "paiement", "--db", corpus_url, "--lang", "fr", "--sort", "date")
    assert result.returncode == 0, result.stderr
    assert result.stdout.index("Le paiement mobile") < result.stdout.index("La banque en ligne")
    assert "«paiement»" in result.stdout and "2 of 2 matches" in result.stderr


def test_search_command_json_csv_and_facets(
    corpus_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(capsys, "search", "支付", "--db", corpus_url, "--format", "json")
    assert json.loads(out)["total"] == 1 and json.loads(out)["results"][0]["language"] == "zh"
    _, out, _ = run_cli(capsys, "search", "mobile", "--db", corpus_url, "--format", "csv",
                        "--limit", "1")  # fmt: skip
    assert out.splitlines()[0].startswith("id,score,published") and len(out.splitlines()) == 2
    _, out, _ = run_cli(capsys, "search", "mobile", "--facets", "--format", "json",
                        "--db", corpus_url)  # fmt: skip
    assert json.loads(out)["total"] == 2 and json.loads(out)["by_language"] == {"en": 1, "fr": 1}
    _, out, _ = run_cli(capsys, "search", "mobile", "--facets", "--format", "csv",
                        "--db", corpus_url, "--has-bio")  # fmt: skip
    assert out.splitlines()[:2] == ["facet,value,articles", "total,,2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"mobile money'], "unbalanced quote"),
        (["search", "x", "--lang", "xx"], "unknown language 'xx'"),
        (["search", "x", "--since", "2024-05-01", "--until", "2024-01-01"], "is not before"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(corpus_url: str, args: list[str], message: str) -> None:
    result = sankofa(*args, "--db", corpus_url)  # the real command, in a subprocess
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x", "--lang", "english"], "not a language code"),
        (["search", "x", "--source", "nowhere"], "unknown source 'nowhere'"),
        (["search", "x", "--country", "ZZ"], "unknown country 'ZZ'"),
        (["search", "x", "--country", "Kenya"], "not a country code"),
        (["search", "fintech AND"], "ends too early"),
        (["stats", "--lang", "xx"], "unknown language"),
        (["export", "--query", "NOT x"], "NOT needs a term"),
    ],
)
def test_more_bad_input(
    corpus_url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, _, err = run_cli(capsys, *args, "--db", corpus_url)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_keys_cover_the_corpus() -> None:
    assert len(KEYS) == len(DOCS) == 10


def test_open_database_creates_the_search_tables(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        names = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type='table'")))
        triggers = set(
            connection.scalars(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
        )
    assert {"articles_fts", "articles_fts_cjk", "articles_fts_cjk_vocab"} <= names
    # A later revision that rebuilds `articles` (batch mode) must recreate these.
    assert {
        "articles_search_insert",
        "articles_search_update",
        "articles_search_delete",
    } <= triggers
    engine.dispose()


# --- every backend --------------------------------------------------------------------------

SAME_ON_EVERY_BACKEND = [
    ("paiement", {"fr-pay", "fr-bank"}),
    ("senegal", {"fr-pay"}),
    ("جدا", {"ar-pay"}),
    ('"mobile money"', {"en-mpesa"}),
    ("paiement NOT crypto", {"fr-pay"}),
    ("paie*", {"fr-pay", "fr-bank"}),
    ("kenya OR sénégal", {"en-mpesa", "fr-pay"}),
    ("भुगतान", {"hi-pay"}),
    ("ክፍያ", {"am-pay"}),
    ("支付", {"zh-pay"}),
    ("者", {"zh-pay"}),
    ("キャッシュレス", {"ja-pay"}),
    ("ชำระเงิน", {"th-pay"}),
    ("支付 OR ክፍያ", {"zh-pay", "am-pay"}),
    ("mobile NOT 支付", {"fr-pay", "en-mpesa"}),
    ("Diallo", {"fr-pay"}),
    ("王芳", {"zh-pay"}),
    ("Aïssatou", {"fr-pay"}),
]


def test_search_on_every_backend(session: Session) -> None:
    store_docs(session)
    for query, expected in SAME_ON_EVERY_BACKEND:
        assert found(session, query) == expected, query
    assert found(session, "paiement", ArticleFilter(countries=("SN",), has_bio=True)) == {"fr-pay"}
    assert found(session, "crypto", ArticleFilter(authors=("WANJIRU KAMAU",))) == {"en-crypto"}
    assert search_facets(session, "mobile").by_language == [("en", 1), ("fr", 1)]
    (hit,) = search(session, '"mobile money"')
    assert "«mobile money»" in hit.snippet.marked() and hit.score is not None
    assert search(session, "crypto")[0].title == "Crypto startups court regulators"


def test_postgresql_queries_the_expression_migration_0013_indexed() -> None:
    path = Path(__file__).parents[1] / "storage/migrations/versions/0013_search_folding.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.pg_vector("articles.") == SEARCH_VECTOR_SQL


def test_postgresql_stores_each_articles_vector_as_migration_0013_defines_it(
    session: Session, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    store_docs(session)
    same = f"search_vector = {SEARCH_VECTOR_SQL}"  # 0013's expression (the test above)
    rows = session.execute(text(f"SELECT count(*), count(*) FILTER (WHERE {same}) FROM articles"))
    assert rows.one() == (len(DOCS), len(DOCS))
    # The trigger writes the vector when a searched column is written, and only then: an
    # article's cluster or author link changes without recomputing it.
    first = "WHERE id = (SELECT min(id) FROM articles)"
    session.execute(text(f"UPDATE articles SET search_vector = NULL {first}"))
    session.execute(text(f"UPDATE articles SET cluster_id = 7, in_story = true {first}"))
    assert session.scalar(text("SELECT count(*) FROM articles WHERE search_vector IS NULL")) == 1
    session.execute(text(f"UPDATE articles SET title = 'Zanzibar' {first}"))
    assert session.execute(text(f"SELECT count(*) FILTER (WHERE {same}) FROM articles")).one() == (
        len(DOCS),
    )
    (hit,) = search(session, "zanzibar")
    assert hit.score is not None and hit.score > 0


def test_postgresql_ranks_an_article_without_a_vector_last(session: Session, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    store_docs(session)
    ranked = [hit.url for hit in search(session, "mobile OR paiement OR crypto", limit=50)]
    assert len(ranked) >= 3
    session.execute(
        text("UPDATE articles SET search_vector = NULL WHERE canonical_url = :url"),
        {"url": ranked[0].split("?")[0]},
    )
    again = search(session, "mobile OR paiement OR crypto", limit=50)
    assert again[-1].url == ranked[0] and again[-1].score is None
    assert [hit.url for hit in again[:-1]] == ranked[1:]


def test_postgresql_search_uses_the_gin_index(session: Session, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    store_docs(session)
    session.execute(text("SET LOCAL enable_seqscan = off"))
    stmt = select(Article.id).where(match_condition(session, "paiement"))
    compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_articles_search_vector" in plan
