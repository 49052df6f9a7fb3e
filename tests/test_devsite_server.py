"""The local site server speaks HTTP/1.1 with keep-alive, as the sites a crawl visits do,
and a stopped site answers nobody, not even over a connection kept alive."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from crawler.devsite.server import serve


def test_one_connection_serves_several_pages_then_the_stopped_site_answers_nobody(
    tmp_path: Path,
) -> None:
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    with serve(tmp_path) as site:
        connection = http.client.HTTPConnection(site.base_url.removeprefix("http://"), timeout=5)
        for path, status in (("/", 200), ("/nowhere/", 404), ("/", 200)):
            connection.request("GET", path)
            response = connection.getresponse()
            assert (response.status, response.version) == (status, 11)
            response.read()  # the same connection, kept alive, serves the next request
        assert site.requests == ["/", "/nowhere/", "/"]
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected, OSError)):
        connection.request("GET", "/")
        connection.getresponse()
    connection.close()
