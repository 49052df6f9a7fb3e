"""Exports read back: JSONL, CSV, Parquet, HF folders, WARC; compression; atomic writes."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

from crawler.cli import main as cli
from storage.db import StorageError, make_engine, session_factory
from storage.export.codebook import CODEBOOK
from storage.export.hf import export_hf
from storage.export.outputs import atomic_path
from storage.export.parquet import ARROW_SCHEMA, export_parquet
from storage.export.rows import EXPORT_FIELDS, export_jsonl
from storage.export.warc import export_warc
from storage.queries import ArticleFilter
from storage.repository import store_article
from tests.corpus_fixtures import DOCS, build_corpus, store_docs, url_of
from tests.crawling import REPO, sankofa
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    backend_fixture,
    make_record,
    migrated_engine_fixture,
    session_fixture,
)

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd


@pytest.fixture(scope="module", name="corpus_url")
def corpus_url_fixture(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_corpus(tmp_path_factory.mktemp("export") / "corpus.db")


@pytest.fixture(name="db")
def db_fixture(corpus_url: str) -> Iterator[Session]:
    engine = make_engine(corpus_url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def export(corpus_url: str, path: Path, *args: str) -> Path:
    """`sankofa export` in this process (the subprocess tests are below: they are slower)."""
    assert cli(["export", "--db", corpus_url, "-o", str(path), *args]) == 0
    return path


def jsonl_rows(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


# --- JSON Lines and CSV, with every filter ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {doc.key for doc in DOCS}),
        (["--lang", "fr"], {"fr-pay", "fr-bank"}),
        (["--source", "tokyo-fin", "--source", "bangkok-biz"], {"ja-pay", "th-pay"}),
        (["--country", "ke"], {"en-mpesa", "en-crypto"}),
        (["--author", "Wanjiru Kamau", "--has-bio"], {"en-mpesa"}),
        (["--since", "2024-02-01", "--until", "2024-04-01"], {"fr-pay", "am-pay"}),
        (["--query", "支付 OR paiement"], {"zh-pay", "fr-pay", "fr-bank"}),
    ],
)
def test_jsonl_export_honours_every_filter(
    corpus_url: str, tmp_path: Path, args: list[str], expected: set[str]
) -> None:
    rows = jsonl_rows(export(corpus_url, tmp_path / "out.jsonl", *args).read_bytes())
    assert {row["canonical_url"].rsplit("/", 1)[1] for row in rows} == expected
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert all(tuple(row) == EXPORT_FIELDS for row in rows)


def test_jsonl_values_match_the_database(corpus_url: str, tmp_path: Path) -> None:
    rows = jsonl_rows(export(corpus_url, tmp_path / "fr.jsonl", "--lang", "fr").read_bytes())
    first = next(row for row in rows if row["canonical_url"] == url_of("fr-pay"))
    assert first["author"] == "Aïssatou Diallo" and first["authors"] == ["Aïssatou Diallo"]
    assert first["published"] == "2024-03-14T09:30:00+00:00" and first["modified"] is None
    assert first["country"] == "SN" and first["language_shares"] == {"fr": 1.0}
    assert "\n\n" in first["text"] and first["tags"] == ["fintech"]


def test_csv_export_reads_back_with_the_csv_module(corpus_url: str, tmp_path: Path) -> None:
    path = export(corpus_url, tmp_path / "out.csv", "--format", "csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EXPORT_FIELDS and len(rows) == len(DOCS)
    chinese = next(row for row in rows if row["language"] == "zh")
    assert json.loads(chinese["authors"]) == ["王芳"] and chinese["authors"] == '["王芳"]'
    assert "\n\n" in chinese["text"] and chinese["modified"] == ""
    assert datetime.fromisoformat(chinese["published"]) == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst", ".csv.gz", ".csv.zst"])
def test_compression_round_trips(corpus_url: str, tmp_path: Path, suffix: str) -> None:
    kind = "csv" if ".csv" in suffix else "jsonl"
    plain = export(corpus_url, tmp_path / f"plain.{kind}", "--format", kind).read_bytes()
    packed = export(corpus_url, tmp_path / f"packed{suffix}", "--format", kind).read_bytes()
    unpacked = gzip.decompress(packed) if suffix.endswith(".gz") else zstd.decompress(packed)
    assert unpacked == plain and len(packed) < len(plain)


def test_explicit_compression_to_standard_output(corpus_url: str) -> None:
    command = [sys.executable, "-m", "crawler.cli", "export", "--db", corpus_url,
               "--compress", "zstd", "--lang", "ja"]  # fmt: skip
    result = subprocess.run(command, cwd=REPO, capture_output=True, timeout=120, check=True)
    (row,) = jsonl_rows(zstd.decompress(result.stdout))
    assert row["language"] == "ja" and b"exported 1 articles" in result.stderr


# --- Parquet and Hugging Face folders ----------------------------------------------------------


def test_parquet_has_a_typed_schema(corpus_url: str, tmp_path: Path) -> None:
    table = pq.read_table(export(corpus_url, tmp_path / "out.parquet", "--format", "parquet"))
    schema = table.schema
    assert schema.names == list(EXPORT_FIELDS) and table.num_rows == len(DOCS)
    assert schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("id").type == pa.int64() and not schema.field("id").nullable
    assert pa.types.is_struct(schema.field("language_shares").type.value_type)
    assert schema.field("text").metadata[b"description"].decode() == CODEBOOK["text"][1]
    row = next(r for r in table.to_pylist() if r["language"] == "am")
    assert row["published"] == datetime(2024, 2, 29, 9, 30, tzinfo=UTC)
    assert row["language_shares"] == [{"language": "am", "share": 1.0}]
    assert (
        pq.ParquetFile(tmp_path / "out.parquet").metadata.row_group(0).column(0).compression
        == "ZSTD"
    )


def test_parquet_streams_in_row_groups(
    db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.export.parquet.ROW_GROUP_ROWS", 3)
    monkeypatch.setattr("storage.export.parquet.EXPORT_BATCH_SIZE", 2)
    assert export_parquet(db, tmp_path / "small.parquet", codec="gzip") == len(DOCS)
    metadata = pq.ParquetFile(tmp_path / "small.parquet").metadata
    assert metadata.num_rows == len(DOCS) and metadata.num_row_groups == 3


def test_empty_parquet_export_keeps_the_schema(db: Session, tmp_path: Path) -> None:
    nothing = ArticleFilter(languages=("sw",))
    assert export_parquet(db, tmp_path / "empty.parquet", nothing) == 0
    table = pq.read_table(tmp_path / "empty.parquet")
    assert table.num_rows == 0 and table.schema.equals(ARROW_SCHEMA, check_metadata=False)


def test_hf_folder_has_shards_and_a_data_card(corpus_url: str, tmp_path: Path) -> None:
    folder = export(corpus_url, tmp_path / "dataset", "--format", "hf", "--since", "2023-01-01")
    shards = sorted(p.name for p in (folder / "data").iterdir())
    assert shards == ["train-00000-of-00001.parquet"]
    assert pq.read_table(folder / "data" / shards[0]).num_rows == 7
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "path: data/train-*.parquet" in card
    assert "| dakar-tech | SN | 2 | https://dakar.example/ | CC BY 4.0 |" in card
    assert "| nairobi-wire | KE |" not in card  # no 2023+ article from it
    assert "| cairo-bytes | EG | 1 | https://cairo.example/ | All rights |" in card
    assert "published from 2023-06-02 to 2024-05-01" in card
    assert all(f"| `{name}` |" in card for name in EXPORT_FIELDS)
    assert "trafilatura" in card and "sankofa 0.1.0" in card and "'since': '2023-01-01" in card


def test_hf_export_shards_by_rows(
    db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.export.parquet.EXPORT_BATCH_SIZE", 2)
    folder = tmp_path / "sharded"
    folder.mkdir()
    summary = export_hf(db, folder, rows_per_shard=4, query="anything")
    assert "Search query: `anything`" in (folder / "README.md").read_text(encoding="utf-8")
    names = sorted(p.name for p in (folder / "data").iterdir())
    total = sum(pq.read_table(folder / "data" / name).num_rows for name in names)
    assert total == summary.articles == len(DOCS)
    assert names == [f"train-{i:05d}-of-00003.parquet" for i in range(3)]


# --- WARC --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz", ".warc.zst"])
def test_warc_export_reads_back_with_warcio(corpus_url: str, tmp_path: Path, suffix: str) -> None:
    path = export(corpus_url, tmp_path / f"out{suffix}", "--format", "warc", "--lang", "fr")
    data = path.read_bytes()
    if suffix == ".warc.zst":
        data = zstd.decompress(data)  # one frame per record, decoded as one stream
    records = [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
               for r in ArchiveIterator(io.BytesIO(data))]  # fmt: skip
    assert [kind for kind, *_ in records] == ["warcinfo", "response", "response"]
    _, warc_headers, http_headers, body = records[1]
    assert warc_headers.get_header("WARC-Target-URI") == url_of("fr-pay")
    assert warc_headers.get_header("WARC-Date") == "2024-06-01T12:00:00Z"
    assert http_headers.get_statuscode() == "200"
    assert http_headers.get_header("Content-Encoding") is None
    assert http_headers.get_header("X-Sankofa-Orig-Content-Encoding") == "gzip"
    assert "<title>Le paiement mobile au Sénégal</title>" in body.decode("utf-8")
    assert b"software: sankofa/" in records[0][3]


def test_gzip_warc_is_one_member_per_record(corpus_url: str, tmp_path: Path) -> None:
    path = export(corpus_url, tmp_path / "out.warc.gz", "--format", "warc")
    assert path.read_bytes().count(b"\x1f\x8b\x08") >= len(DOCS) + 1


# --- atomic writes, stable ids, bad output paths -------------------------------------------------


def test_a_failed_export_leaves_no_file(
    db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.export.rows.EXPORT_BATCH_SIZE", 2)  # several writes
    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n", encoding="utf-8")

    class Failing(io.StringIO):
        def write(self, s: str) -> int:
            if self.tell() > 0:
                raise RuntimeError("disk full")
            return super().write(s)

    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        export_jsonl(db, Failing())
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_failed_parquet_export_midway_leaves_no_file(
    db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.export.parquet as module

    real = module._columns
    calls = []

    def failing(batch: list[Any]) -> dict[str, list[Any]]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(batch)

    monkeypatch.setattr(module, "EXPORT_BATCH_SIZE", 3)
    monkeypatch.setattr(module, "_columns", failing)
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "out.parquet") as temporary:
        export_parquet(db, temporary)
    assert list(tmp_path.iterdir()) == []


def test_ids_are_stable_across_exports_and_recrawls(tmp_path: Path) -> None:
    url = build_corpus(tmp_path / "c.db")
    before = {
        r["canonical_url"]: r["id"]
        for r in jsonl_rows(export(url, tmp_path / "a.jsonl").read_bytes())
    }
    engine = make_engine(url)
    with session_factory(engine)() as session:
        store_article(session, make_record(url_of("ja-pay"), source="tokyo-fin", title="改訂",
                                           content_hash="v2", language="ja"))  # fmt: skip
    engine.dispose()
    after = jsonl_rows(export(url, tmp_path / "b.jsonl").read_bytes())
    assert {r["canonical_url"]: r["id"] for r in after} == before
    assert next(r for r in after if r["canonical_url"] == url_of("ja-pay"))["title"] == "改訂"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet"], "needs -o PATH"),
        (["-o", "/nonexistent/folder/out.jsonl"], "missing or not writable"),
        (["--format", "hf", "-o", "{nonempty}"], "already exists"),
        (["--format", "csv", "-o", "{tmp}/x.csv", "--until", "2020-01-01", "--since", "2021-01-01"],
         "is not before"),
    ],
)  # fmt: skip
def test_bad_export_requests_are_one_line(
    corpus_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    args = [
        a.replace("{nonempty}", str(tmp_path / "full")).replace("{tmp}", str(tmp_path))
        for a in args
    ]
    result = sankofa("export", "--db", corpus_url, *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "full" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "x.csv").exists()


def test_a_write_error_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="No space left"), atomic_path(tmp_path / "x") as path:
        path.write_text("partial", encoding="utf-8")
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(StorageError, match="it is a folder"), atomic_path(tmp_path):
        pass


def test_atomic_folder_refuses_a_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with (
        pytest.raises(StorageError, match="already exists"),
        atomic_path(tmp_path / "taken", folder=True),
    ):
        pass


def test_exports_on_every_backend(session: Session, tmp_path: Path) -> None:
    store_docs(session)
    out = io.StringIO()
    assert export_jsonl(session, out, ArticleFilter(languages=("zh", "fr"))) == 3
    rows = jsonl_rows(out.getvalue().encode("utf-8"))
    assert {row["author"] for row in rows} == {"王芳", "Aïssatou Diallo", "Moussa Ndiaye"}
    assert {row["published"] for row in rows} >= {"2024-05-01T09:30:00+00:00"}
    assert export_parquet(session, tmp_path / "all.parquet") == len(DOCS)
    assert pq.read_table(tmp_path / "all.parquet").column("authors").to_pylist()[0] == [
        "Aïssatou Diallo"
    ]
    warc = io.BytesIO()
    assert export_warc(session, warc, compression="gzip") == len(DOCS)
    assert len(list(ArchiveIterator(io.BytesIO(warc.getvalue())))) == len(DOCS) + 1


def test_the_documented_codebook_is_the_exported_one() -> None:
    docs = (REPO / "docs" / "datasets.md").read_text(encoding="utf-8")
    for name, (kind, meaning) in CODEBOOK.items():
        assert f"| `{name}` | {kind} | {meaning} |" in docs, name
    assert tuple(CODEBOOK) == EXPORT_FIELDS


# --- targets that are not plain files --------------------------------------------------------


def test_export_into_a_fifo_writes_through_it_and_leaves_the_fifo(
    corpus_url: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    export(corpus_url, fifo, "--format", "jsonl")
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert {row["title"] for row in jsonl_rows(received[0])} == {doc.title for doc in DOCS}


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(
    corpus_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    export(corpus_url, link, "--format", "jsonl")
    assert link.is_symlink() and link.resolve() == target
    assert len(jsonl_rows(target.read_bytes())) == len(DOCS)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_export_to_a_device_writes_into_it_and_never_replaces_it(
    corpus_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """/dev/full fails every write: one line and exit 2, and it is still a device (even as root)."""
    assert cli(["export", "--db", corpus_url, "--format", "jsonl", "-o", "/dev/full"]) == 2
    error = capsys.readouterr().err
    assert "cannot write '/dev/full'" in error and len(error.strip().splitlines()) == 1
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_export_into_a_folder_that_refuses_files_is_one_line(
    corpus_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/proc takes no new files, even from root: the mkstemp error becomes one line."""
    for target in ("/proc/x.jsonl", str(tmp_path / "missing" / "x.jsonl")):
        assert cli(["export", "--db", corpus_url, "--format", "jsonl", "-o", target]) == 2
        error = capsys.readouterr().err
        assert f"cannot write '{target}'" in error and len(error.strip().splitlines()) == 1
