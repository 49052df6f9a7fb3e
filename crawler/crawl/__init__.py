"""The Scrapy side of a crawl: the spider (what to request next), thin pipelines around the
pure stages, middlewares, extensions (run records, progress), the worker pool, the shared
frontier, ``run_crawl()``, and re-extraction of stored pages.

The only package besides the CLI that imports both Scrapy and storage.
"""
