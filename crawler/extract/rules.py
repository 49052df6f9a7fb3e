"""Which cleaning rules extraction applies. PURE."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rules:
    """The cleaning rules extraction applies, each of which can be turned off to measure it
    (``python -m benchmarks.extraction --ablation``). Everything on is what a crawl runs."""

    strip_furniture: bool = True  # comment threads, forms, share/related/newsletter boxes
    cut_author_box: bool = True  # the bio box out of the body (and into author_bio)
    cut_bylines: bool = True  # a marked byline naming the author out of the body
    keep_pull_quotes: bool = True  # pull quotes kept as body text
    keep_anchored_text: bool = True  # the text after an empty <span id> anchor kept
    keep_linked_headings: bool = True  # a heading linking to its own anchor kept as text
    keep_item_headings: bool = True  # a list article's headings linking to their items kept
    keep_prose_headers: bool = True  # an article's <header> holding prose read as body
    keep_accordions: bool = True  # an accordion's toggles and hidden answers kept as text
    drop_notices: bool = True  # comment-form, cookie, share, related-post lines (phrases)
    drop_repeats: bool = True  # the headline and the bio repeated inside the body
    balanced_rescue: bool = True  # balanced pass when the precise one picked a tiny container
    short_fallbacks: bool = True  # second opinions and the main container for short bodies
    missed_prose: bool = True  # prose the precise pass dropped, taken from the recall pass
    join_continuations: bool = True  # the body's sibling containers (split bodies) appended
    join_leads: bool = True  # a container of prose right before the body's own, prepended
    section_headings: bool = True  # the headings of the body's parts the passes dropped
    declared_body: bool = True  # JSON-LD articleBody when the page shows only its start
    place_streamed_parts: bool = True  # a streamed page's parts read in place, if that finds more


RULES = Rules()
