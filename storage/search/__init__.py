"""Full-text search over stored articles: query syntax, the plan shared by both engines,
SQLite FTS5 and PostgreSQL tsvector back ends, and snippets with the matches marked.
"""
