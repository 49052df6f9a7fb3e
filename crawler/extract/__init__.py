"""Extraction: one fetched page -> Article (metadata, body, author bio), comments and page
furniture out, bytes decoded whatever the declared charset says.

PURE: imports neither Scrapy nor SQLAlchemy nor storage.
"""
