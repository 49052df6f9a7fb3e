"""Language identification: text -> language with confidence and per-paragraph shares
(py3langid, seeded langdetect on near-ties, script rules, page and source hints).

PURE and deterministic: imports neither Scrapy nor SQLAlchemy nor storage.
"""
