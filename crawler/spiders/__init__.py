"""Spiders decide which URLs to request next; they never extract article text."""
