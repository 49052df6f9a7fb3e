"""A real `sankofa crawl` of tests/site on 127.0.0.1, checked against tests/site/EXPECTED.md."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler import settings
from crawler.devsite.server import Site, serve
from crawler.settings import user_agent_for
from tests.crawling import FAST_LOCAL, REPO, export, sankofa, write_sources

SITE_ROOT = REPO / "tests" / "site"


@dataclass(frozen=True)
class Expected:
    path: str
    language: str
    title: str
    author: str
    published: str
    must_contain: str
    bio: str
    must_not_contain: tuple[str, ...]


EXPECTED = [
    Expected("/2024/01/yoonpay-paiement-marchand-senegal/", "fr",
             "[Afrique] Au Sénégal, la fintech Yoonpay lève 4 millions de dollars pour le "
             "paiement marchand", "Samir Abdelkrim", "2024-01-18T09:15:00+00:00",
             "Yoonpay revendique déjà 12 000 commerçants actifs à Dakar, Thiès et Saint-Louis.",
             "Samir Abdelkrim est le fondateur de StartupBRICS.com",
             ("Laisser un commentaire", "Votre adresse de messagerie ne sera pas publiée",
              "Les champs obligatoires sont indiqués avec", "Articles populaires",
              "Recevez notre newsletter", "Nous utilisons des cookies")),
    Expected("/2024/02/duplicate-article/", "en",
             "Nairobi matatu operators go cashless as Safiri Pay signs up 3,000 vehicles",
             "Amina Wanjiru", "2024-02-26T03:45:00+00:00",
             "Safiri Pay settles fares to M-Pesa tills within ninety seconds of each trip.",
             "She covers mobility, payments and the informal economy from Nairobi",
             ("Leave a Reply", "Your email address will not be published",
              "Required fields are marked", "Popular Posts", "This website uses cookies")),
    Expected("/2024/02/mocambique-carteiras-moveis-mercado-informal.html", "pt",
             "Em Moçambique, carteiras móveis disputam os vendedores do mercado informal",
             "Nélia Matsinhe", "2024-02-08T08:15:00+00:00",
             "A Txuna já está presente em 14 mercados de Maputo e da Matola.",
             "escreve sobre tecnologia, inclusão financeira e empreendedorismo na África Austral",
             ("Enviar um comentário", "Os comentários são moderados", "Mensagens populares",
              "Este site utiliza cookies")),
    Expected("/banca-lumo-remesas-migrantes-espana/", "es",
             "Un neobanco colombiano apuesta por las remesas de los migrantes en España",
             "Valentina Ríos", "2024-03-05T14:12:00+00:00",
             "Banca Lumo cobra una comisión fija de 1,99 euros por envío, sin margen oculto "
             "sobre el tipo de cambio.",
             "Cubre fintech, criptomonedas y regulación financiera en América Latina.",
             ("Suscríbete a Savanna Signal", "Lo más leído", "Usamos cookies propias")),
    Expected("/2024/03/shamba-mkopo-wakulima-chai-kisii/", "sw",
             "Programu ya Shamba Mkopo yawasaidia wakulima wa chai wa Kisii kupata mikopo kwa "
             "simu", "Juma Mwangi", "2024-03-14T08:00:00+00:00",
             "Zaidi ya wakulima 18,000 tayari wamepokea mikopo kupitia Shamba Mkopo tangu huduma "
             "ilipozinduliwa.",
             "Ameandika kuhusu uvumbuzi wa kidijitali vijijini kwa zaidi ya miaka kumi.",
             ("wakulima wa miwa wa Mumias", "Huduma ni ya haraka kuliko SACCO yetu",
              "3 thoughts on", "Leave a Reply", "Your email address will not be published")),
    Expected("/cairo-arabic-dialect-ai-startups/", "ar",
             "شركات ناشئة مصرية تراهن على الذكاء الاصطناعي الناطق باللهجة العامية", "ليلى حداد",
             "2024-03-21T09:30:00+00:00",
             "جمعت حكاوي أكثر من ثلاثة آلاف ساعة من التسجيلات الصوتية باللهجة المصرية بموافقة "
             "أصحابها.",
             "تكتب عن التكنولوجيا وريادة الأعمال في الشرق الأوسط وشمال أفريقيا",
             ("اشترك في نشرة Savanna Signal", "الأكثر قراءة", "نستخدم ملفات تعريف الارتباط")),
    Expected("/2024/04/lagos-solar-minigrids-markets.html", "en",
             "Lagos solar startup Oorun Grid brings mini-grids to 40 open markets",
             "Chinedu Okafor", "2024-04-03T15:20:00+00:00",
             "Next on the list are markets in Ibadan and Abeokuta",
             "covering energy, climate tech and startups across West Africa",
             ("Post a Comment", "Comments are moderated and may take a day to appear")),
    Expected("/2024/04/abidjan-incubateur-developpeuses-donnees/", "fr",
             "À Abidjan, un incubateur forme 500 développeuses aux métiers de la donnée",
             "Aïcha Koné", "2024-04-16T07:45:00+00:00",
             "Les étudiantes venues de Bouaké, de Korhogo et de Yamoussoukro reçoivent une bourse "
             "mensuelle de 75 000 francs CFA",
             "Aïcha Koné est journaliste à Abidjan.",
             ("Laisser un commentaire", "Votre adresse de messagerie ne sera pas publiée",
              "Articles populaires", "Ã", "Â", "\ufffd")),
]  # fmt: skip
PRIVATE = "/2024/03/private-article/"


@dataclass
class CrawlResult:
    site: Site
    db_url: str
    db_file: Path
    process: Any
    articles: dict[str, dict[str, Any]]


def _crawl(site: Site, folder: Path, *args: str) -> tuple[str, Path, Any]:
    db_file = folder / "corpus.db"
    db_url = f"sqlite:///{db_file}"
    sources = write_sources(folder, site.base_url)
    process = sankofa("crawl", "--sources", sources, "--db", db_url, *FAST_LOCAL, *args)
    assert process.returncode == 0, process.stderr
    return db_url, db_file, process


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve(SITE_ROOT) as running:
        yield running


@pytest.fixture(scope="module")
def first_crawl(site: Site, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    db_url, db_file, process = _crawl(site, tmp_path_factory.mktemp("crawl"))
    articles = {row["canonical_url"].removeprefix(site.base_url): row for row in export(db_url)}
    return CrawlResult(site, db_url, db_file, process, articles)


def _run_row(db_file: Path, run_id: int) -> sqlite3.Row:
    with sqlite3.connect(db_file) as connection:
        connection.row_factory = sqlite3.Row
        row: sqlite3.Row = connection.execute(
            "SELECT * FROM crawl_runs WHERE id = ?", (run_id,)
        ).fetchone()
    return row


def test_exactly_the_expected_articles_are_stored(first_crawl: CrawlResult) -> None:
    assert sorted(first_crawl.articles) == sorted(e.path for e in EXPECTED)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.path.strip("/"))
def test_article_fields(first_crawl: CrawlResult, expected: Expected) -> None:
    row = first_crawl.articles[expected.path]
    assert row["source"] == "testblog"
    assert row["title"] == expected.title
    assert row["author"] == expected.author
    assert row["published"] == expected.published
    assert row["language"] == expected.language
    assert 0.5 <= row["language_confidence"] <= 1.0
    text = " ".join(row["text"].split())
    assert expected.must_contain in text
    assert expected.bio in row["author_bio"]
    assert expected.bio not in text
    every_field = " ".join([text, row["title"], row["author_bio"], row["description"] or ""])
    for snippet in expected.must_not_contain:
        assert snippet.casefold() not in every_field.casefold(), snippet


# The zones the fixture pages declare their publication times in (minutes east of UTC), and
# the time as the page wrote it.
DECLARED_TIMES = {
    "/2024/02/duplicate-article/": (180, "2024-02-26T06:45"),  # Nairobi; 03:45 in UTC
    "/2024/03/shamba-mkopo-wakulima-chai-kisii/": (180, "2024-03-14T11:00"),
    "/2024/01/yoonpay-paiement-marchand-senegal/": (0, "2024-01-18T09:15"),
    "/cairo-arabic-dialect-ai-startups/": (0, "2024-03-21T09:30"),  # written with "Z"
}


@pytest.mark.parametrize(("path", "declared"), DECLARED_TIMES.items())
def test_the_declared_zone_of_the_publication_time_is_kept(
    first_crawl: CrawlResult, path: str, declared: tuple[int, str]
) -> None:
    offset, as_written = declared
    row = first_crawl.articles[path]
    assert row["published_utc_offset"] == offset
    utc = datetime.fromisoformat(row["published"])
    assert utc.utcoffset() == timedelta(0)
    assert (utc + timedelta(minutes=offset)).strftime("%Y-%m-%dT%H:%M") == as_written


def test_export_has_every_documented_field(first_crawl: CrawlResult) -> None:
    required = {"id", "url", "canonical_url", "source", "title", "text", "author", "author_bio",
                "language", "language_confidence", "published", "modified", "tags",
                "categories", "fetched_at"}  # fmt: skip
    for row in first_crawl.articles.values():
        assert required <= set(row)
        assert row["fetched_at"].startswith("20")
        assert row["code_switched"] is False  # each fixture article is in one language


def test_discovery_used_every_channel_and_respected_robots(first_crawl: CrawlResult) -> None:
    requests = first_crawl.site.requests
    assert requests.index("/robots.txt") < min(
        requests.index(e.path) for e in EXPECTED if e.path in requests
    )
    assert PRIVATE not in requests
    assert not [path for path in requests if "utm_" in path or "replytocom" in path]
    assert not [path for path in requests if path.startswith(("/_errors", "/_routes"))]
    for only_one_channel in ("/2024/02/mocambique-carteiras-moveis-mercado-informal.html",
                             "/banca-lumo-remesas-migrantes-espana/",
                             "/cairo-arabic-dialect-ai-startups/"):  # fmt: skip
        assert only_one_channel in requests


def test_run_record_counts_failures_and_skips_by_reason(first_crawl: CrawlResult) -> None:
    run = _run_row(first_crawl.db_file, 1)
    assert run["status"] == "finished"
    assert run["articles_new"] == 8
    assert run["pages_fetched"] >= 20
    failures = json.loads(run["failures"])
    assert failures == {"http_500": 1, "http_404": 1, "non_html": 1}
    skipped = json.loads(run["skipped"])
    assert skipped["robots_disallowed"] == 1
    assert skipped["duplicate"] == 1  # /?p=42 resolves through rel=canonical to an article seen


def test_requests_identify_the_crawler(first_crawl: CrawlResult, tmp_path: Path) -> None:
    assert first_crawl.site.user_agents == {user_agent_for(settings.SANKOFA_CONTACT_URL)}
    first_crawl.site.user_agents.clear()
    _crawl(first_crawl.site, tmp_path, "-s", "SANKOFA_CONTACT_URL=https://lab.example/crawler")
    assert first_crawl.site.user_agents == {user_agent_for("https://lab.example/crawler")}


def test_summary_and_progress_on_stderr(first_crawl: CrawlResult) -> None:
    stderr = first_crawl.process.stderr
    assert "Crawl run 1 finished" in stderr
    assert "8 articles stored (8 new, 0 updated, 0 unchanged)" in stderr
    assert "http_500 1" in stderr and "robots_disallowed 1" in stderr
    assert "Traceback" not in stderr
    assert first_crawl.process.stdout == ""  # data goes to stdout; a crawl prints none


def test_second_crawl_stores_nothing_and_refetches_no_article(
    first_crawl: CrawlResult, tmp_path: Path
) -> None:
    site = first_crawl.site
    before = len(site.requests)
    sources = write_sources(tmp_path, site.base_url)
    again = sankofa("crawl", "--sources", sources, "--db", first_crawl.db_url, *FAST_LOCAL)
    assert again.returncode == 0, again.stderr
    assert "0 articles stored (0 new" in again.stderr
    second_requests = site.requests[before:]
    assert not [e.path for e in EXPECTED if e.path in second_requests]
    assert len(export(first_crawl.db_url)) == 8
    assert _run_row(first_crawl.db_file, 2)["articles_new"] == 0


def test_since_skips_older_articles(site: Site, tmp_path: Path) -> None:
    db_url, _, _ = _crawl(site, tmp_path, "--since", "2024-03-01")
    stored = {row["canonical_url"].removeprefix(site.base_url) for row in export(db_url)}
    assert stored == {e.path for e in EXPECTED if e.published >= "2024-03-01"}


def test_a_refused_command_keeps_what_is_stored(first_crawl: CrawlResult, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, first_crawl.site.base_url)
    refused = sankofa("crawl", "--sources", sources, "--db", first_crawl.db_url, "--source", "nope")
    assert refused.returncode == 2
    assert len(export(first_crawl.db_url)) == 8


def test_max_pages_bounds_the_crawl(site: Site, tmp_path: Path) -> None:
    _, db_file, process = _crawl(site, tmp_path, "--max-pages", "5")
    assert _run_row(db_file, 1)["pages_fetched"] <= 5
    assert "Crawl run 1 finished" in process.stderr


def test_progress_lines_while_crawling(site: Site, tmp_path: Path) -> None:
    _, _, process = _crawl(site, tmp_path, "-s", "SANKOFA_PROGRESS_INTERVAL=0.05")
    progress = [line for line in process.stderr.splitlines() if line.startswith("[sankofa]")]
    assert progress, process.stderr
    assert all(
        " pages " in line and " articles " in line and " errors " in line for line in progress
    )


def test_scrapy_crawl_blogs_works_from_the_repository_root(site: Site, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'scrapy.db'}"
    sources = write_sources(tmp_path, site.base_url)
    scrapy = [sys.executable, "-m", "scrapy", "crawl", "blogs", "-s", f"SANKOFA_DB_URL={db_url}",
              "-s", f"SANKOFA_SOURCES_FILE={sources}", *FAST_LOCAL]  # fmt: skip
    process = subprocess.run(scrapy, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr
    assert len(export(db_url)) == len(EXPECTED)
