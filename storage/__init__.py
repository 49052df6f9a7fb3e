"""Sankofa's storage: a small typed SQLAlchemy library (SQLite by default, PostgreSQL at scale).

db (engines, sessions, migrations), models, records (what the crawler hands in), repository
(writes), queries (reads), export. It never imports the crawler or Scrapy.
"""
