"""The source registry: the bundled file, validation errors, selection, intervals, domains."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from crawler.sources.registry import (
    BUNDLED_SOURCES,
    REGIONS,
    Source,
    SourcesError,
    load_sources,
    parse_interval,
    select_sources,
)

GOOD = '[[sources]]\nname = "a"\nurl = "https://a.example/"\n'


def _error(tmp_path: Path, text: str | bytes) -> str:
    """Load `text` as a sources file and return the one-line error it must raise."""
    path = tmp_path / "sources.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# --- the bundled registry ------------------------------------------------------------------


def test_bundled_registry_loads_and_is_broad() -> None:
    sources = load_sources()
    assert load_sources(BUNDLED_SOURCES) == sources
    assert len(sources) >= 30
    assert len({language for source in sources for language in source.languages}) >= 8
    assert {source.region for source in sources} >= REGIONS


def test_bundled_names_are_unique_and_every_source_declares_a_language() -> None:
    sources = load_sources()
    names = [source.name for source in sources]
    assert len(names) == len(set(names))
    assert all(source.languages for source in sources)


def test_bundled_feeds_are_served_from_the_source_site() -> None:
    for source in load_sources():
        home = source.domains[0].removeprefix("www.")
        for feed in source.feeds:
            assert home in feed, (source.name, feed)


def test_bundled_registry_covers_the_languages_of_the_brief() -> None:
    languages = {language for source in load_sources() for language in source.languages}
    assert {"en", "fr", "pt", "es", "ar", "sw", "tr", "hi"} <= languages


# --- a valid file --------------------------------------------------------------------------


def test_all_fields_are_converted(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        "[[sources]]\n"
        'name = "techcabal"\n'
        'url = "https://techcabal.com/"\n'
        'feeds = ["https://techcabal.com/feed/"]\n'
        'sitemaps = ["https://cdn.example.net/sitemap.xml"]\n'
        'languages = ["en", "yo"]\n'
        'country = "NG"\n'
        'region = "africa"\n'
        'interval = "6h"\n'
        'terms = "research use only"\n'
        "enabled = false\n",
        encoding="utf-8",
    )
    assert load_sources(path) == [
        Source(
            name="techcabal",
            url="https://techcabal.com/",
            feeds=("https://techcabal.com/feed/",),
            sitemaps=("https://cdn.example.net/sitemap.xml",),
            languages=("en", "yo"),
            country="NG",
            region="africa",
            interval=timedelta(hours=6),
            terms="research use only",
            enabled=False,
        )
    ]


def test_defaults(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    (source,) = load_sources(path)
    assert source == Source(name="a", url="https://a.example/")
    assert source.interval == timedelta(days=1)
    assert source.enabled


# --- invalid files: one line naming file, entry and field ----------------------------------

ENTRY_CASES = {
    "missing name": (
        '[[sources]]\nurl = "https://a.example/"\n',
        ["entry 1:", "'name'", "missing"],
    ),
    "missing url": ('[[sources]]\nname = "a"\n', ["entry 1 ('a')", "'url'", "missing"]),
    "name not a slug": (
        '[[sources]]\nname = "Tech Cabal"\nurl = "https://a.example/"\n',
        ["entry 1 ('Tech Cabal')", "field 'name'", "lowercase"],
    ),
    "name not a string": (
        '[[sources]]\nname = 3\nurl = "https://a.example/"\n',
        ["entry 1:", "field 'name'", "got 3"],
    ),
    "url not http": (
        '[[sources]]\nname = "a"\nurl = "ftp://a.example/"\n',
        ["entry 1 ('a')", "field 'url'", "http(s)", "'ftp://a.example/'"],
    ),
    "url without host": (
        '[[sources]]\nname = "a"\nurl = "https:///path"\n',
        ["field 'url'", "with a host"],
    ),
    "url with bad port": (
        '[[sources]]\nname = "a"\nurl = "https://a.example:99999/"\n',
        ["field 'url'"],
    ),
    "url with space": (
        '[[sources]]\nname = "a"\nurl = "https://a.example/x y"\n',
        ["field 'url'"],
    ),
    "feeds not a list": (
        GOOD + 'feeds = "https://a.example/feed/"\n',
        ["entry 1 ('a')", "field 'feeds'", "list of http(s) URLs"],
    ),
    "feed not a URL": (GOOD + 'feeds = ["feed/"]\n', ["field 'feeds'", "got ['feed/']"]),
    "sitemap not a URL": (GOOD + "sitemaps = [1]\n", ["field 'sitemaps'"]),
    "unknown key": (
        GOOD + 'feed = ["https://a.example/feed/"]\n',
        ["entry 1 ('a')", "unknown field 'feed'", "did you mean 'feeds'?", "allowed: api, country"],
    ),
    "language three letters": (GOOD + 'languages = ["eng"]\n', ["field 'languages'", "639-1"]),
    "language upper case": (GOOD + 'languages = ["EN"]\n', ["field 'languages'"]),
    "language und": (GOOD + 'languages = ["und"]\n', ["field 'languages'"]),
    "language not a code": (GOOD + 'languages = ["sp"]\n', ["field 'languages'", "'sp'"]),
    "languages not a list": (GOOD + 'languages = "en"\n', ["field 'languages'"]),
    "language nested list": (GOOD + 'languages = [["en"]]\n', ["field 'languages'"]),
    "country lower case": (GOOD + 'country = "ng"\n', ["field 'country'", "upper case"]),
    "country not a code": (GOOD + 'country = "UK"\n', ["field 'country'", "'UK'"]),
    "country three letters": (GOOD + 'country = "NGA"\n', ["field 'country'"]),
    "country a list": (GOOD + 'country = ["NG"]\n', ["field 'country'"]),
    "region unknown": (GOOD + 'region = "europe"\n', ["field 'region'", "africa, latam"]),
    "interval no unit": (GOOD + 'interval = "6"\n', ["field 'interval'", "'6h'"]),
    "interval zero": (GOOD + 'interval = "0h"\n', ["field 'interval'"]),
    "interval unknown unit": (GOOD + 'interval = "1y"\n', ["field 'interval'", "'1y'"]),
    "interval a number": (GOOD + "interval = 6\n", ["field 'interval'", "got 6"]),
    "terms empty": (GOOD + 'terms = " "\n', ["field 'terms'", "non-empty"]),
    "enabled a string": (GOOD + 'enabled = "yes"\n', ["field 'enabled'", "true or false"]),
    "duplicate name": (
        GOOD + "\n" + GOOD,
        ["entry 2 ('a')", "field 'name'", "duplicates entry 1", "unique"],
    ),
}


@pytest.mark.parametrize(("text", "expected"), ENTRY_CASES.values(), ids=ENTRY_CASES.keys())
def test_invalid_entry_names_file_entry_and_field(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    message = _error(tmp_path, text)
    for part in expected:
        assert part in message


def test_entry_error_points_at_the_entry_line(tmp_path: Path) -> None:
    text = "# two sources\n" + GOOD + "\n" + GOOD.replace('"a"', '"b"') + 'country = "xx"\n'
    message = _error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'sources.toml'}:6: entry 2 ('b'): field 'country'")


FILE_CASES = {
    "empty file": ("", ["no [[sources]] entries", "add at least one"]),
    "only comments": ("# nothing yet\n", ["no [[sources]] entries"]),
    "empty sources array": ("sources = []\n", ["no [[sources]] entries"]),
    "sources not tables": ('sources = ["a"]\n', ["array of tables"]),
    "sources a string": ('sources = "techcabal"\n', ["array of tables"]),
    "sources a single table": (GOOD.replace("[[sources]]", "[sources]"), ["array of tables"]),
    "unknown top-level key": (
        '[[source]]\nname = "a"\nurl = "https://a.example/"\n',
        ["unknown top-level key 'source'", "[[sources]]"],
    ),
    "toml syntax error": (
        '[[sources]]\nname = "a"\nurl = https://a.example/\n',
        [":3:", "line 3, column 7", "invalid TOML", "fix the syntax"],
    ),
    "toml error at end of file": ('[[sources]]\nname = "a\n', ["invalid TOML", ":2:", "line 2"]),
    "toml error at end of document": (
        '[[sources]]\nname = "a"\nurl =',
        ["invalid TOML", ":3:", "line 3, end of file"],
    ),
    "not utf-8": (b'[[sources]]\nname = "caf\xe9"\n', ["not UTF-8", "save the file as UTF-8"]),
}


@pytest.mark.parametrize(("text", "expected"), FILE_CASES.values(), ids=FILE_CASES.keys())
def test_invalid_file_names_file_and_problem(
    tmp_path: Path, text: str | bytes, expected: list[str]
) -> None:
    message = _error(tmp_path, text)
    for part in expected:
        assert part in message


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(SourcesError, match=r"nope\.toml: cannot read sources file") as caught:
        load_sources(path)
    assert "\n" not in str(caught.value)
    assert "bundled registry" in str(caught.value)


def test_directory_is_not_a_sources_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="cannot read sources file"):
        load_sources(tmp_path)


# --- selection -----------------------------------------------------------------------------

SOURCES = [
    Source(name="techcabal", url="https://techcabal.com/"),
    Source(name="techpoint-africa", url="https://techpoint.africa/"),
    Source(name="contxto", url="https://contxto.com/", enabled=False),
]


def test_no_names_selects_all_enabled_sources() -> None:
    assert select_sources(SOURCES, []) == SOURCES[:2]


def test_names_select_in_the_given_order_once_even_when_disabled() -> None:
    names = ["contxto", "techcabal", "contxto"]
    assert select_sources(SOURCES, names) == [SOURCES[2], SOURCES[0]]


def test_unknown_name_suggests_a_close_match() -> None:
    with pytest.raises(SourcesError) as caught:
        select_sources(SOURCES, ["techcabal", "techcabl"])
    assert str(caught.value) == (
        "unknown source 'techcabl'; see `sankofa sources list` (did you mean 'techcabal'?)"
    )


def test_unknown_name_without_a_close_match() -> None:
    with pytest.raises(SourcesError) as caught:
        select_sources(SOURCES, ["zzz"])
    assert str(caught.value) == "unknown source 'zzz'; see `sankofa sources list`"


# --- intervals and domains -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("6h", timedelta(hours=6)),
        ("1d", timedelta(days=1)),
        ("2w", timedelta(weeks=2)),
        (" 12h ", timedelta(hours=12)),
    ],
)
def test_parse_interval(text: str, expected: timedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "6", "h", "0d", "-1d", "1.5h", "1y", "6H", "1h30m"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid interval"):
        parse_interval(text)


def test_domains_cover_url_feeds_sitemaps_and_the_www_twin() -> None:
    source = Source(
        name="mybroadband",
        url="https://MyBroadband.co.za/",
        feeds=("https://mybroadband.co.za/news/feed/", "https://feeds.example.net:8443/mb"),
        sitemaps=("https://www.mybroadband.co.za/sitemap.xml",),
    )
    assert source.domains == ("mybroadband.co.za", "feeds.example.net", "www.mybroadband.co.za")


def test_domains_drop_www_for_the_twin() -> None:
    source = Source(name="techzim", url="https://www.techzim.co.zw/")
    assert source.domains == ("www.techzim.co.zw", "techzim.co.zw")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8123/", "http://localhost:8000/", "http://[::1]/"]
)
def test_domains_of_local_sites_have_no_www_twin(url: str) -> None:
    assert len(Source(name="local", url=url).domains) == 1
