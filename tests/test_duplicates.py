"""Near-duplicates: signatures, the incremental index, clusters, and the full rebuild."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from crawler.dedupe.signature import MIN_SHINGLES, shingles, signature
from storage.db import open_database, session_factory
from storage.duplicates import CLUSTER_SIZE, cluster_of, list_clusters, rebuild, recluster
from storage.duplicates.links import duplicate_threshold
from storage.models import Article, LshBucket
from storage.repository import store_article, sync_sources
from tests.crawling import python_output
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    SOURCES,
    backend_fixture,
    fresh_url_fixture,
    make_record,
    migrated_engine_fixture,
    session_fixture,
    wipe,
)

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

# --------------------------------------------------------------------------- texts


def vocabulary(seed: int = 3, size: int = 3000) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvwyzàéọṣ"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


WORDS = vocabulary()


def story(seed: int, words: int = 260) -> str:
    rng = random.Random(seed)
    body = [rng.choice(WORDS) for _ in range(words)]
    paragraphs = [" ".join(body[i : i + 40]) + "." for i in range(0, words, 40)]
    return "\n\n".join(paragraphs)


def edited(text: str, seed: int, share: float = 0.04) -> str:
    """A copy with `share` of its words replaced and a new intro line."""
    rng = random.Random(seed)
    tokens = text.split(" ")
    for i in rng.sample(range(len(tokens)), int(share * len(tokens))):
        tokens[i] = rng.choice(WORDS)
    return "Wire copy, lightly edited. " + " ".join(tokens)


def record(url: str, text: str, published: datetime | None, source: str = "alpha") -> object:
    return make_record(url, text=text, published=published, source=source, minhash=signature(text))


# --------------------------------------------------------------------------- signatures


def test_normalisation_ignores_case_punctuation_and_unicode_form() -> None:
    plain = "Le paiement mobile progresse au Senegal et en Cote d Ivoire"
    styled = "« LE PAIEMENT MOBILE » progresse — au Senegal, et en Cote d’Ivoire !"
    assert shingles(plain) == shingles(styled)
    assert shingles("ﬁntech") == shingles("fintech")  # NFKC: the ligature is two letters


def test_scripts_without_spaces_are_cut_into_character_bigrams() -> None:
    assert shingles("移动支付") == {"移动", "动支", "支付"}
    assert shingles("การชำระเงิน") >= {"กา", "าร"}
    # Devanagari vowel signs are marks, not punctuation: the word stays whole.
    assert shingles("डिजिटल भुगतान") == {"डिजिटल", "भुगतान"}


def test_short_bodies_get_no_signature_and_long_ones_a_fixed_length() -> None:
    assert signature(" ".join(WORDS[: MIN_SHINGLES - 1])) is None
    long = signature(story(1))
    assert long is not None and len(long) == 128 * 4


def test_signatures_are_the_same_in_every_process() -> None:
    code = "from crawler.dedupe.signature import signature; import sys; " + (
        "sys.stdout.write(signature(sys.stdin.read()).hex())"
    )
    outputs = {python_output(code, stdin=story(7), hash_seed=seed) for seed in ("1", "2")}
    assert len(outputs) == 1


def test_signing_loads_minhash_alone_and_signs_as_datasketch_does() -> None:
    # The rest of datasketch brings scipy: 80 MB in every extraction worker.
    code = (
        "import sys\n"
        "from crawler.dedupe.signature import NUM_PERM, SCHEME, SEED, shingles, signature\n"
        "text = sys.stdin.read()\n"
        "ours = signature(text)\n"
        "print('scipy' in sys.modules)\n"
        "import datasketch, numpy\n"  # then the package loads in full, as usual
        "full = datasketch.minhash.MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)\n"
        "full.update_batch([s.encode('utf-8') for s in shingles(text)])\n"
        "print(numpy.asarray(full.hashvalues, dtype='<u4').tobytes() == ours)\n"
    )
    assert python_output(code, stdin=story(3)).split() == ["False", "True"]


def test_copies_score_high_and_strangers_low() -> None:
    from storage.duplicates import as_signatures

    def similarity(a: str, b: str) -> float:
        pair = as_signatures([signature(a) or b"", signature(b) or b""])
        return float((pair[0] == pair[1]).mean())

    assert similarity(story(1), edited(story(1), 9)) > 0.8
    assert similarity(story(1), story(2)) < 0.3


# --------------------------------------------------------------------------- clusters


def stored(session: Session) -> dict[str, tuple[str, int, str | None, str | None]]:
    """canonical URL -> (root URL, cluster size, near_duplicate_of URL, exact_duplicate_of URL),
    after checking that each article's in_story flag agrees with its cluster's member count."""
    rows = session.execute(
        select(
            Article.id,
            Article.canonical_url,
            Article.cluster_id,
            CLUSTER_SIZE,
            Article.in_story,
            Article.near_duplicate_of,
            Article.exact_duplicate_of,
        )
    ).all()
    members = Counter(row.cluster_id for row in rows)
    assert all(row.in_story == (members[row.cluster_id] > 1) for row in rows)
    assert all(row.cluster_size == members[row.cluster_id] for row in rows)
    url = {row.id: row.canonical_url for row in rows}
    return {
        row.canonical_url: (
            url[row.cluster_id],
            row.cluster_size,
            url.get(row.near_duplicate_of) if row.near_duplicate_of else None,
            url.get(row.exact_duplicate_of) if row.exact_duplicate_of else None,
        )
        for row in rows
    }


def corpus() -> list[tuple[str, str, datetime | None]]:
    """Two stories with copies (one exact), and three strangers."""
    first, second = story(1), story(2)
    return [
        ("https://alpha.example/story-1", first, START),
        ("https://beta.example/copy-of-1", edited(first, 11), START + timedelta(hours=3)),
        ("https://beta.example/exact-1", first, START + timedelta(days=1)),
        ("https://alpha.example/story-2", second, None),  # undated: never the root if another is
        ("https://beta.example/copy-of-2", edited(second, 12), START + timedelta(days=2)),
        ("https://alpha.example/alone-3", story(3), START),
        ("https://alpha.example/alone-4", story(4), START),
        ("https://beta.example/short", "Too short to compare.", START),
    ]


def store_all(session: Session, items: Sequence[tuple[str, str, datetime | None]]) -> None:
    sync_sources(session, SOURCES)
    for url, text, published in items:
        source = "beta" if "beta.example" in url else "alpha"
        store_article(session, record(url, text, published, source))  # type: ignore[arg-type]


def test_copies_join_the_cluster_of_the_earliest_article(session: Session) -> None:
    store_all(session, corpus())
    found = stored(session)
    story1 = "https://alpha.example/story-1"
    assert found[story1] == (story1, 3, None, None)
    assert found["https://beta.example/copy-of-1"] == (story1, 3, story1, None)
    assert found["https://beta.example/exact-1"] == (story1, 3, story1, story1)
    # The dated copy is earlier than an undated original: unknown dates come last.
    copy2 = "https://beta.example/copy-of-2"
    assert found[copy2] == (copy2, 2, None, None)
    assert found["https://alpha.example/story-2"] == (copy2, 2, copy2, None)
    for alone in ("alone-3", "alone-4"):
        url = f"https://alpha.example/{alone}"
        assert found[url] == (url, 1, None, None)


def test_clusters_do_not_depend_on_arrival_order(fresh_url: str) -> None:
    reference: dict[str, tuple[str, int, str | None, str | None]] | None = None
    for seed in range(4):
        items = corpus()
        random.Random(seed).shuffle(items)
        engine = _fresh_engine(fresh_url, seed)
        with session_factory(engine)() as session:
            store_all(session, items)
            found = stored(session)
            recluster(session)
            assert stored(session) == found  # the full rebuild agrees with the increments
        engine.dispose()
        reference = reference or found
        assert found == reference


def test_copies_stored_at_once_by_two_writers_still_link(fresh_url: str) -> None:
    """Two writers (a worker's each) store an original and its copy at the same moment,
    pair after pair: each store must see the other's once committed (on PostgreSQL the
    bucket locks make the second wait), so every pair ends in one cluster."""
    engine = open_database(fresh_url)
    sessions = session_factory(engine)
    with sessions() as session:
        sync_sources(session, SOURCES)
    pairs = 12
    together = threading.Barrier(2)

    def write(source: str) -> None:
        with sessions() as session:
            for i in range(pairs):
                text = story(100 + i) if source == "alpha" else edited(story(100 + i), i)
                url = f"https://{source}.example/pair-{i}"
                together.wait()
                store_article(session, record(url, text, START, source))  # type: ignore[arg-type]

    writers = [threading.Thread(target=write, args=(name,)) for name in ("alpha", "beta")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    with sessions() as session:
        sizes = {size for _root, size, _near, _exact in stored(session).values()}
    engine.dispose()
    assert sizes == {2}


def _fresh_engine(url: str, seed: int) -> Engine:
    if url.startswith("sqlite"):
        return open_database(f"{url}.{seed}")  # a new file (wipe leaves SQLite's FTS tables)
    wipe(url)
    return open_database(url)


def test_joining_a_story_rewrites_only_the_rows_that_change(session: Session) -> None:
    """A copy joining a story of n writes its own row, not the n members' (their fields
    do not change: sizes are counted when read); a copy earlier than the root moves all."""
    sync_sources(session, SOURCES)
    text = story(7)
    for i in range(5):
        store_article(session, record(f"https://beta.example/c{i}", edited(text, i), START))  # type: ignore[arg-type]
    later = record("https://beta.example/later", edited(text, 10), START + timedelta(1))
    earlier = record("https://beta.example/earlier", edited(text, 11), START - timedelta(1))
    rewritten = [_article_rows_updated(session, later), _article_rows_updated(session, earlier)]
    found = stored(session)
    assert rewritten == [1, 7]  # itself; then itself and the six members of the old root
    assert {fields[:2] for fields in found.values()} == {("https://beta.example/earlier", 7)}


def _article_rows_updated(session: Session, item: object) -> int:
    """How many article rows the UPDATE statements of storing `item` touched."""
    touched = [0]

    def count(_conn: object, cursor: Any, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE ARTICLES"):
            touched[0] += max(cursor.rowcount, 0)

    engine = session.get_bind()
    event.listen(engine, "after_cursor_execute", count)
    try:
        store_article(session, item)  # type: ignore[arg-type]
    finally:
        event.remove(engine, "after_cursor_execute", count)
    return touched[0]


def test_a_changed_body_leaves_its_cluster(session: Session) -> None:
    store_all(session, corpus())
    rewritten = record("https://beta.example/copy-of-1", story(99), START + timedelta(hours=3))
    rewritten.content_hash = "changed"  # type: ignore[attr-defined]
    assert store_article(session, rewritten) == "updated"  # type: ignore[arg-type]
    found = stored(session)
    story1 = "https://alpha.example/story-1"
    assert found["https://beta.example/copy-of-1"][:3] == (
        "https://beta.example/copy-of-1",
        1,
        None,
    )
    assert found[story1] == (story1, 2, None, None)
    # Its old buckets are gone: a lookup of the old text no longer finds it.
    buckets = session.scalars(select(LshBucket.article_id).distinct()).all()
    assert len(buckets) == len(set(buckets))


def test_a_lower_threshold_links_looser_copies(session: Session) -> None:
    sync_sources(session, SOURCES)
    original, loose = story(5), edited(story(5), 15, share=0.15)
    store_article(session, record("https://alpha.example/o", original, START))  # type: ignore[arg-type]
    store_article(session, record("https://beta.example/l", loose, START + timedelta(1)))  # type: ignore[arg-type]
    assert stored(session)["https://beta.example/l"][1] == 1
    recluster(session, threshold=0.7)
    assert stored(session)["https://beta.example/l"][1] == 2


def test_recluster_signs_articles_stored_before_the_index(session: Session) -> None:
    sync_sources(session, SOURCES)
    text = story(6)
    for i, url in enumerate(("https://alpha.example/old", "https://beta.example/old-copy")):
        unsigned = make_record(url, text=edited(text, i) if i else text, published=START)
        store_article(session, unsigned)
    assert stored(session)["https://beta.example/old-copy"][1] == 1
    progress: list[str] = []
    result = recluster(session, sign=signature, progress=progress.append)
    assert result.signatures_added == 2 and result.clusters == 1
    assert stored(session)["https://beta.example/old-copy"][1] == 2
    assert any("signed" in line for line in progress)


def test_listing_clusters_and_one_articles_cluster(session: Session) -> None:
    store_all(session, corpus())
    total, clusters = list_clusters(session)
    assert total == 2
    biggest = clusters[0]
    assert (biggest.size, biggest.exact, biggest.sources) == (3, 1, ["alpha", "beta"])
    assert biggest.root_url == "https://alpha.example/story-1"
    assert biggest.first_published == START
    assert biggest.last_published == START + timedelta(days=1)
    members = cluster_of(session, "https://beta.example/exact-1")
    assert members[0].canonical_url == "https://alpha.example/story-1"
    assert cluster_of(session, "https://nowhere.example/") == []


def test_a_clusters_first_and_last_publication_are_in_their_pages_offsets(
    session: Session,
) -> None:
    nairobi = datetime(2020, 4, 12, 1, 30, tzinfo=timezone(timedelta(hours=3)))  # 11th in UTC
    lima = datetime(2020, 4, 12, 21, 0, tzinfo=timezone(timedelta(hours=-5)))  # 13th in UTC
    text = story(41)
    copy = edited(text, 42)
    store_all(session, [("https://alpha.example/wire", text, nairobi),
                        ("https://beta.example/wire", copy, lima)])  # fmt: skip
    [cluster] = list_clusters(session)[1]
    assert cluster.first_published == nairobi and cluster.last_published == lima
    assert cluster.first_published is not None and cluster.last_published is not None
    assert cluster.first_published.utcoffset() == timedelta(hours=3)
    assert (cluster.first_published.day, cluster.last_published.day) == (12, 12)


def test_a_recluster_stopped_half_way_leaves_the_clusters_as_they_were(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_all(session, corpus())
    before, threshold = stored(session), duplicate_threshold(session)
    monkeypatch.setattr(rebuild, "_WRITE_BATCH", 1)  # one article per write batch

    def stop_after_the_first_batch(line: str) -> None:
        if line.startswith("wrote the clusters of 1 "):
            raise KeyboardInterrupt

    # At 0.99 the edited copies leave their stories: several rows would change.
    with pytest.raises(KeyboardInterrupt):
        recluster(session, threshold=0.99, progress=stop_after_the_first_batch)
    session.rollback()
    assert stored(session) == before
    assert duplicate_threshold(session) == threshold
    result = recluster(session, threshold=0.99)
    assert result.changed >= 2 and stored(session) != before
    assert duplicate_threshold(session) == 0.99
