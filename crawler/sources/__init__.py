"""The source registry: load, validate and select the publications to crawl (``sources.toml``).

PURE: imports neither Scrapy nor SQLAlchemy nor storage.
"""
