"""The letters of the scripts written without spaces between words: Thai, Lao, Myanmar,
Khmer, kana and Han (its extensions too). Words cannot be counted or shingled by spaces in
them: the author-box reader counts their characters instead (``crawler.extract.bio``), and
the near-duplicate index shingles them by character (``crawler.dedupe.signature``). PURE.
"""

from __future__ import annotations

import re
from typing import Final

UNSPACED_LETTER: Final = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
