"""`sankofa serve`: the corpus in a browser, as a JSON API and as news feeds, read-only.

app.py routes and error handling · params.py a request's query string as one Query ·
reads.py what pages, API and feeds read for it (through storage only) · pages.py and
templates/ the HTML · api.py + openapi.py /api/ · feeds.py Atom, RSS, JSON Feed ·
downloads.py streamed exports · charts.py SVG volumes · guard.py token and security headers ·
textsafety.py what escaping alone does not cover (links, language tags, snippet marks).
"""
