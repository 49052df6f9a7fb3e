"""Sankofa: crawl emerging-market tech blogs into a clean multilingual corpus."""

__version__ = "0.1.0"
