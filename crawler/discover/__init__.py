"""Discovery: which URLs a page, feed, sitemap or robots.txt points to, their canonical form,
and what earlier crawls already know about them.

PURE: imports neither Scrapy nor SQLAlchemy nor storage.
"""
