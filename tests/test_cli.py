"""The command line's contract: help with examples, one-line errors, data on stdout."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.crawling import FAST_LOCAL, sankofa, write_sources
from tests.local_server import free_port

COMMANDS = [
    ["crawl"], ["demo"], ["sources", "list"], ["sources", "check"], ["stats"], ["export"],
    ["runs"], ["db", "upgrade"],
]  # fmt: skip


def _one_line_error(result: object, *fragments: str) -> None:
    stderr = getattr(result, "stderr", "")
    assert getattr(result, "returncode", None) == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = sankofa(*command, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and "sankofa " in result.stdout


def test_invalid_db_url(tmp_path: Path) -> None:
    _one_line_error(sankofa("stats", "--db", "notaurl"), "notaurl")


def test_unwritable_db_path() -> None:
    _one_line_error(sankofa("stats", "--db", "sqlite:////proc/sankofa/corpus.db"), "/proc/sankofa")


def test_unknown_source_name(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _one_line_error(sankofa("crawl", "--source", "techcabl", "--db", db), "techcabl", "techcabal")


def test_invalid_sources_file_names_file_entry_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    entries = '[[sources]]\nname = "ok"\nurl = "https://ok.example/"\n\n'
    entries += '[[sources]]\nname = "broken"\nurl = "ftp://nope"\n'
    bad.write_text(entries, encoding="utf-8")
    _one_line_error(sankofa("sources", "check", "--sources", bad), "bad.toml", "broken", "url")


@pytest.mark.parametrize("args", [["--since", "yesterday"], ["--max-pages", "0"]])
def test_bad_crawl_arguments(args: list[str]) -> None:
    _one_line_error(sankofa("crawl", *args), args[0])


COUNTS = [["runs", "--limit", "-5"], ["authors", "--limit", "0"], ["reextract", "--workers", "0"]]


@pytest.mark.parametrize("command", COUNTS, ids=" ".join)
def test_counts_must_be_positive(command: list[str]) -> None:
    _one_line_error(sankofa(*command), command[1], "not a positive whole number")


def test_schedule_refuses_at_start_what_no_crawl_would_accept(tmp_path: Path) -> None:
    missing = tmp_path / "sources.toml"
    result = sankofa(
        "schedule", "--every", "1", "--sources", missing, "--db", empty_corpus(tmp_path)
    )
    _one_line_error(result, str(missing), "cannot read sources file")
    _one_line_error(sankofa("schedule", "--every", "1", "--db", "notaurl"), "notaurl")


def test_impossible_date_range(tmp_path: Path) -> None:
    db = empty_corpus(tmp_path)
    _one_line_error(
        sankofa("export", "--db", db, "--since", "2024-05-01", "--until", "2024-01-01"), "--since"
    )


def test_unreachable_site_is_counted_and_exits_3(tmp_path: Path) -> None:
    """Cron and systemd must see a crawl that fetched nothing at all (exit status 3)."""
    sources = write_sources(tmp_path, f"http://127.0.0.1:{free_port()}", name="gone")
    db_file = tmp_path / "c.db"
    result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db_file}", *FAST_LOCAL)
    assert result.returncode == 3, result.stderr
    assert "connection_refused" in result.stderr
    with sqlite3.connect(db_file) as connection:
        failures = connection.execute("SELECT failures FROM crawl_runs").fetchone()[0]
    assert json.loads(failures)["connection_refused"] >= 1


def test_sources_list_and_check_on_the_bundled_registry() -> None:
    listed = sankofa("sources", "list", "--format", "json")
    sources = json.loads(listed.stdout)
    assert len(sources) >= 30
    assert len({code for source in sources for code in source["languages"]}) >= 8
    checked = sankofa("sources", "check")
    assert checked.returncode == 0 and "sources valid" in checked.stdout


READING_COMMANDS = [
    ["search", "fintech"], ["stats"], ["export"], ["runs"], ["authors"], ["duplicates"],
    ["sources", "health"], ["reextract"],
]  # fmt: skip


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_command_reading_a_corpus_refuses_a_missing_one(
    command: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "typo" / "corpus.db"
    result = sankofa(*command, "--db", f"sqlite:///{path}")
    _one_line_error(result, f"no database at '{path}'", "sankofa crawl")
    assert not path.parent.exists()  # nothing created where the path pointed


def empty_corpus(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert sankofa("db", "upgrade", "--db", db).returncode == 0
    return db


def test_export_to_a_file_is_atomic_and_refuses_a_missing_folder(tmp_path: Path) -> None:
    db = empty_corpus(tmp_path)
    target = tmp_path / "out.jsonl"
    assert sankofa("export", "--db", db, "-o", target).returncode == 0
    assert target.exists() and not list(tmp_path.glob(".out.jsonl.*"))
    _one_line_error(sankofa("export", "--db", db, "-o", tmp_path / "nope" / "x.jsonl"), "nope")


def test_stats_json_on_an_empty_database(tmp_path: Path) -> None:
    result = sankofa("stats", "--db", empty_corpus(tmp_path), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["total"] == 0
