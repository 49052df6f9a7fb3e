"""Near-duplicate signatures: what one article's body looks like to the duplicate index.

PURE (no Scrapy, no storage): the crawl's worker processes compute the signature beside the
extraction, and storage (storage.duplicates) indexes and compares it.
"""
