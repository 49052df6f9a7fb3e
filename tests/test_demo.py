"""`sankofa demo` crawls the bundled site end to end, offline, into a database of its own
that each run starts afresh: the site is served on a new port each time, so a database kept
between runs would hold every article once per run."""

from __future__ import annotations

from pathlib import Path

from tests.crawling import sankofa


def test_each_demo_run_stores_and_prints_the_site_once(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    outputs = []
    for _ in range(2):
        result = sankofa("demo", env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append(result)
    assert (tmp_path / "sankofa" / "demo.db").exists()
    rows = [
        line for line in outputs[1].stdout.splitlines() if " / " in line and "title" not in line
    ]
    assert len(rows) >= 5
    assert len(rows) == len(set(rows))  # each article once, not once per run
    assert "Crawl run 1 " in outputs[1].stderr
