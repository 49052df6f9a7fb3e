"""The offline demo: a bundled sample blog served on 127.0.0.1 and crawled end to end."""

from __future__ import annotations

import os
from pathlib import Path

DEMO_SITE = Path(__file__).parent / "demo_site"
DEMO_SOURCE = "sankofa-demo"


def demo_db_path() -> Path:
    """The demo's own SQLite file, beside (never inside) the default corpus."""
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "sankofa" / "demo.db"


def demo_db_url() -> str:
    return f"sqlite:///{demo_db_path()}"


def write_demo_sources(folder: Path, base_url: str) -> Path:
    """A sources.toml naming only the demo site at ``base_url``."""
    path = folder / "demo-sources.toml"
    path.write_text(
        "[[sources]]\n"
        f'name = "{DEMO_SOURCE}"\n'
        f'url = "{base_url}/"\n'
        'languages = ["fr", "en", "pt", "sw", "ar"]\n'
        'country = "SN"\n'
        'region = "africa"\n',
        encoding="utf-8",
    )
    return path
