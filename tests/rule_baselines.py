"""The rules a test of one rule turns off to see what the precise pass keeps without it."""

from __future__ import annotations

import dataclasses

from crawler.extract.rules import RULES, Rules


def without(rule: str) -> Rules:
    """Every rule but ``rule``, and but section_headings, which puts many of the same
    headings back by another road: the baseline is what the precise pass keeps."""
    return dataclasses.replace(RULES, **{rule: False, "section_headings": False})
