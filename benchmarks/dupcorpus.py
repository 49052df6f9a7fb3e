"""A corpus with planted near-duplicates and hard negatives, for benchmarks.duplicates.

    python -m benchmarks.dupcorpus        # summary of the planted corpus

planted_corpus() builds base articles ("originals") from real text nobody on this project
wrote: NTREX news in 29 languages (../shared/benchmarks/langid: sentences.tsv, paragraphs.tsv)
and article bodies of the WCXB dev set (../shared/benchmarks/wcxb-dev, English web articles).
Each original gets 0 to 3 copies, each made by ONE edit that republishing really produces:

    exact        the same text, syndicated unchanged
    intro        one sentence (10-35 words) added in front, as its own paragraph or not
    reorder      paragraphs in another order (the first kept first in half the cases)
    trim         a middle paragraph dropped or the last one or two cut (<= 25% of the words)
    words        5-20% of the words replaced by words sampled from the language's running
                 text (letters, for Chinese, Japanese and Thai, written without spaces)
    boilerplate  the outlet's fixed boilerplate paragraph (20-60 words) at the end or start
    punctuation  typography only: quotes, dashes, double and non-breaking spaces, case of
                 the first sentence, trailing spaces
    combo        two of intro, trim, words (5-10%), boilerplate, reorder

and about a quarter of the originals get a hard negative, its own family (not a duplicate):

    negative_template  same outlet boilerplate and title start, other text of the same size
    negative_followup  a follow-up that reuses one background paragraph (<= 25% of the
                       original's words); the rest is other text

Why it is built this way:
  * The edits and their sizes imitate syndication (they come from the brief, not from any
    detector): this module knows nothing about shingles, signatures or thresholds, so the
    benchmark scores a detector against copies it could not have been tuned to.
  * Text is partitioned by NTREX line number. The same lines exist in every language and
    paragraphs.tsv shares lines with sentences.tsv, so within a language every line belongs
    to ONE base article, ONE hard negative or ONE intro/boilerplate pool; otherwise two
    "unrelated" documents could share text and a right answer would count as wrong. Each
    language shuffles its blocks with its own seed, so base i in Malay and in Indonesian
    (close languages) are not translations of the same lines.
  * WCXB pages that share much text with one already taken (the dev set holds a few
    re-published pages) are skipped, for the same reason.

magnitude: the share of the original's words changed (words), added (intro, boilerplate) or
removed (trim), summed for combo; 0 for exact, reorder and punctuation; for a negative, the
share of the original's words it does NOT reuse (1 for a template, 1 - background share for a
follow-up). Sizes of Chinese, Japanese and Thai text are letters divided by letters per
English word of the same NTREX sentences (1.8, 2.4, 4.3).

scaled_corpus() yields synthetic Zipf text (benchmarks.corpus_text) with cheap planted copies,
for timing at 200,000 documents; it is a generator and keeps only recent originals.
"""

from __future__ import annotations

import csv
import json
import random
import re
import statistics
import time
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Final

from benchmarks.corpus_text import LANGUAGES as SYNTHETIC_LANGUAGES
from benchmarks.corpus_text import Vocabulary, vocabulary

DEFAULT_SHARED: Final = Path(__file__).resolve().parents[2] / "shared"
EDITS: Final = (
    "original",
    "exact",
    "intro",
    "reorder",
    "trim",
    "words",
    "boilerplate",
    "punctuation",
    "combo",
    "negative_template",
    "negative_followup",
)
COPY_EDITS: Final = EDITS[1:9]
COMBO_PARTS: Final = ("reorder", "trim", "words", "intro", "boilerplate")  # order applied
OUTLETS: Final = tuple(f"outlet-{i:02d}" for i in range(12))
SCALED_OUTLETS: Final = tuple(f"outlet-{i:02d}" for i in range(40))
UNSPACED: Final = {"zh": 1.8, "ja": 2.4, "th": 4.3}  # letters per English word (NTREX)
COPY_COUNTS: Final = (0.4, 0.3, 0.2, 0.1)  # P(0..3 copies): 60% of originals have one or more
NEGATIVE_SHARE: Final = 0.25
ARTICLE_WORDS: Final = (220.0, 650.0)  # target size of a base article, drawn uniformly
ARTICLE_PARAGRAPHS: Final = (4, 10)
INTRO_POOL: Final = {"en": 30}  # English also serves the WCXB bases
INTRO_POOL_DEFAULT: Final = 12
EPOCH: Final = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_SECONDS: Final = 3 * 365 * 86400
HOUR: Final = 3600
WEEK: Final = 7 * 86400
SCALED_RECENT: Final = 2000  # originals a scaled copy may be made of

_WORD_TOKEN: Final = re.compile(r"\S+")
_LETTER: Final = re.compile(r"[^\W\d_]")
_LETTERED_TOKEN: Final = re.compile(r"(?<!\S)\S*?[^\W\d_]\S*")  # a word, not a number
_SENTENCE: Final = re.compile(r".+?(?:[.!?؟।۔።](?=\s|$)|[。！？]|$)", re.DOTALL)
_TYPOGRAPHY_STEPS: Final = ("quotes", "dashes", "spaces", "nbsp", "case", "trailing")


@dataclass(frozen=True, slots=True)
class PlantedDoc:
    key: str  # "fr-0007" (original), "fr-0007~c2" (its 2nd copy), "fr-0007~n1" (negative)
    family: str  # the original's key for it and its copies; a negative's own key
    edit: str  # one of EDITS
    magnitude: float  # share of the original's words changed, added or removed
    language: str  # ISO 639-1, "und" when unknown
    title: str
    text: str  # paragraphs separated by "\n\n"
    published: datetime  # aware UTC; copies 1 h to 7 days after their original
    source: str  # "outlet-07"; a copy is never on its original's outlet


@dataclass(frozen=True, slots=True)
class _Pools:
    """Per-language text kept out of every article: intros, outlet boilerplate, and the
    running tokens (words, or letters when unspaced) that replacements are drawn from."""

    intros: tuple[str, ...]
    boilerplate: dict[str, str]
    tokens: tuple[str, ...]


@dataclass(slots=True)
class _Base:
    key: str
    language: str
    title: str
    paragraphs: list[str]
    negative: str | None = None  # "negative_template" | "negative_followup"
    material: list[str] = field(default_factory=list)  # the negative's own text
    background: int = 0  # index of the paragraph a follow-up reuses


# ---------------------------------------------------------------- public API


def planted_corpus(
    shared: Path = DEFAULT_SHARED, *, seed: int = 7, max_wcxb: int = 400
) -> list[PlantedDoc]:
    """Originals, their copies and hard negatives (see the module docstring)."""
    sentences, paragraphs = _read_langid(shared / "benchmarks" / "langid")
    wcxb = []
    if max_wcxb > 0:
        wcxb = _wcxb_bases(
            shared / "benchmarks" / "wcxb-dev" / "ground-truth.json",
            max_wcxb,
            random.Random(f"{seed}:wcxb"),
        )
    wcxb_texts = [p for base in wcxb for p in base.paragraphs + base.material]
    strip = _punctuation([*_texts(sentences), *_texts(paragraphs), *wcxb_texts])
    bases: list[_Base] = []
    pools: dict[str, _Pools] = {}
    for language in sorted(sentences):
        rng = random.Random(f"{seed}:{language}")  # one stream per language: see docstring
        found, pools[language] = _language_bases(
            language, sentences[language], paragraphs.get(language, {}), strip, rng
        )
        bases += found
    if wcxb:  # English running text: NTREX and the WCXB pages together
        bases += wcxb
        wcxb_tokens = [t for text in wcxb_texts for t in _word_cores(text, strip)]
        pools["en"] = replace(pools["en"], tokens=pools["en"].tokens + tuple(wcxb_tokens))
    rng = random.Random(seed)
    docs: list[PlantedDoc] = []
    for base in bases:
        docs += _family(base, _pools_for(base, pools, strip), strip, rng)
    return docs


def truth_pairs(docs: Sequence[PlantedDoc]) -> set[frozenset[str]]:
    """Every unordered pair of keys that share a family."""
    families: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        families[doc.family].append(doc.key)
    return {frozenset(pair) for keys in families.values() for pair in combinations(keys, 2)}


def scaled_corpus(count: int, *, seed: int = 7, copy_share: float = 0.1) -> Iterator[PlantedDoc]:
    """`count` synthetic documents, about `copy_share` of them copies (exact, intro, trim or
    5-10% words) of an earlier original; for timing, not for quality."""
    rng = random.Random(seed)
    vocabularies: dict[str, Vocabulary] = {}
    recent: list[_Recent] = []
    for index in range(count):
        if recent and rng.random() < copy_share:
            yield _scaled_copy(rng.choice(recent), vocabularies, rng)
            continue
        language = SYNTHETIC_LANGUAGES[rng.randrange(len(SYNTHETIC_LANGUAGES))]
        if language not in vocabularies:
            vocabularies[language] = vocabulary(language, seed)
        original = _scaled_original(
            f"{language}-{index:07d}", language, vocabularies[language], rng
        )
        if len(recent) < SCALED_RECENT:
            recent.append(original)
        else:  # keep memory flat: a random slot makes room
            recent[rng.randrange(SCALED_RECENT)] = original
        yield original.doc


# ---------------------------------------------------------------- reading the shared text


def _read_langid(folder: Path) -> tuple[dict[str, dict[int, str]], dict[str, dict[int, str]]]:
    paths = folder / "sentences.tsv", folder / "paragraphs.tsv"
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: planted_corpus needs the shared benchmark data "
                f"(NTREX sample); pass shared=Path('.../shared') if it lives elsewhere"
            )
    return _read_tsv(paths[0]), _read_tsv(paths[1])


def _read_tsv(path: Path) -> dict[str, dict[int, str]]:
    """language -> line number -> text."""
    table: dict[str, dict[int, str]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)  # header
        for language, line, text in rows:
            table[language][int(line)] = " ".join(text.split())
    return dict(table)


def _texts(table: dict[str, dict[int, str]]) -> list[str]:
    return [text for rows in table.values() for text in rows.values()]


def _punctuation(texts: Sequence[str]) -> str:
    """Every punctuation or symbol character in the texts: what str.strip removes from a
    token to leave its word (regex \\W would also strip Indic vowel signs)."""
    chars = {char for text in texts for char in set(text)}
    return "".join(sorted(c for c in chars if unicodedata.category(c)[0] in "PS"))


# ---------------------------------------------------------------- sizes and titles


def _size(text: str, language: str) -> float:
    """Words, or for unspaced scripts letters / letters per English word."""
    per_word = UNSPACED.get(language)
    if per_word is None:
        return float(len(_LETTERED_TOKEN.findall(text)))
    return sum(1 for char in text if char.isalpha()) / per_word


def _joiner(language: str) -> str:
    return "" if language in ("zh", "ja") else " "


def _first_sentence(text: str) -> str:
    match = _SENTENCE.match(text)
    return match.group(0) if match else text


def _title(text: str, language: str) -> str:
    """The first sentence's first 8 words (20 characters when unspaced)."""
    sentence = _first_sentence(text)
    head = sentence[:20] if language in UNSPACED else " ".join(sentence.split()[:8])
    head = head.replace('"', "") if head.count('"') % 2 else head  # an unclosed quote
    return head.strip().rstrip(",;:.!?。，、！？؟।").strip()


def _mixed_title(title: str, text: str, words: int, language: str) -> str:
    """The first `words` words of `title`, the rest from `text`: same topic, other story."""
    other = _title(text, language)
    if language in UNSPACED:
        head = title[: round(words * UNSPACED[language])]
        return head + other[: max(4, 20 - len(head))]
    return " ".join(title.split()[:words] + other.split()[: 8 - words])


# ---------------------------------------------------------------- NTREX bases


def _language_bases(
    language: str,
    sentences: dict[int, str],
    paragraphs: dict[int, str],
    strip: str,
    rng: random.Random,
) -> tuple[list[_Base], _Pools]:
    """Disjoint base articles, negative material and pools of one language."""
    free = _free_sentences(sentences, paragraphs)
    intros = _take_intros(free, language, rng)
    boilerplate = _take_boilerplate(free, language, rng)
    blocks = _sentence_groups(free, language, rng) + [paragraphs[k] for k in sorted(paragraphs)]
    rng.shuffle(blocks)
    stream = deque(blocks)
    bases: list[_Base] = []
    while base := _next_base(f"{language}-{len(bases):04d}", language, stream, rng):
        bases.append(base)
    everything = [*sentences.values(), *paragraphs.values()]
    tokens = [t for text in everything for t in _tokens(text, language, strip)]
    return bases, _Pools(tuple(intros), boilerplate, tuple(tokens))


def _free_sentences(sentences: dict[int, str], paragraphs: dict[int, str]) -> list[str]:
    """Sentences on lines no paragraph covers, in line order, each text once."""
    covered = {first + offset for first in paragraphs for offset in range(5)}
    seen: set[str] = set()
    free = []
    for line in sorted(sentences):
        text = sentences[line]
        if line in covered or text in seen or any(text in p for p in paragraphs.values()):
            continue
        seen.add(text)
        free.append(text)
    return free


def _take_intros(free: list[str], language: str, rng: random.Random) -> list[str]:
    """Remove and return the intro pool: sentences of 10-35 words."""
    fits = [text for text in free if 10 <= _size(text, language) <= 35]
    chosen = rng.sample(fits, min(len(fits), INTRO_POOL.get(language, INTRO_POOL_DEFAULT)))
    for text in chosen:
        free.remove(text)
    return chosen


def _take_boilerplate(free: list[str], language: str, rng: random.Random) -> dict[str, str]:
    """Remove sentences from `free` into one fixed 20-60 word paragraph per outlet."""
    candidates = [text for text in free if _size(text, language) <= 40]
    rng.shuffle(candidates)
    boilerplate = {}
    for outlet in OUTLETS:
        parts: list[str] = []
        size = 0.0
        while size < 20 and candidates:
            text = candidates.pop()
            if size + _size(text, language) <= 60:
                parts.append(text)
                size += _size(text, language)
                free.remove(text)
        if size < 20:
            raise ValueError(f"too little {language} text for outlet boilerplate")
        boilerplate[outlet] = _joiner(language).join(parts)
    return boilerplate


def _sentence_groups(free: list[str], language: str, rng: random.Random) -> list[str]:
    """Paragraphs of 2-5 sentences that follow each other in line order."""
    groups = []
    start = 0
    while start + 2 <= len(free):
        size = rng.randint(2, 5)
        groups.append(_joiner(language).join(free[start : start + size]))
        start += size
    return groups


def _take_blocks(
    stream: deque[str], target: float, language: str, least: int, most: int = ARTICLE_PARAGRAPHS[1]
) -> list[str]:
    """Blocks from the front of the stream while that brings the size closer to `target`."""
    taken: list[str] = []
    size = 0.0
    while stream and len(taken) < most:
        next_size = _size(stream[0], language)
        if len(taken) >= least and size + next_size / 2 > target:
            break
        taken.append(stream.popleft())
        size += next_size
    return taken


def _next_base(key: str, language: str, stream: deque[str], rng: random.Random) -> _Base | None:
    """The next base article, and its negative's material when it gets one; None at the end."""
    paragraphs = _take_blocks(stream, rng.uniform(*ARTICLE_WORDS), language, ARTICLE_PARAGRAPHS[0])
    size = _size("\n\n".join(paragraphs), language)
    if len(paragraphs) < ARTICLE_PARAGRAPHS[0] or size < ARTICLE_WORDS[0] * 0.9:
        return None
    base = _Base(key, language, _title(paragraphs[0], language), paragraphs)
    if rng.random() < NEGATIVE_SHARE:
        _plan_negative(
            base, rng, lambda target, least: _take_blocks(stream, target, language, least)
        )
    return base


def _plan_negative(
    base: _Base, rng: random.Random, take: Callable[[float, int], list[str]]
) -> None:
    """Choose the negative's kind and reserve its text (from `take`) now, so that no later
    article can use it."""
    size = _size("\n\n".join(base.paragraphs), base.language)
    backgrounds = _backgrounds(base, size)
    kind = rng.choice(("negative_template", "negative_followup"))
    if kind == "negative_followup" and backgrounds:
        base.background = rng.choice(backgrounds)
        target = size - _size(base.paragraphs[base.background], base.language)
        material = take(target, 3)
    else:
        kind = "negative_template"
        material = take(size, ARTICLE_PARAGRAPHS[0])
        target = size
    if len(material) >= 2 and _size("\n\n".join(material), base.language) >= 0.6 * target:
        base.negative, base.material = kind, material


def _backgrounds(base: _Base, size: float) -> list[int]:
    """Paragraphs a follow-up may reuse: <= 25% of the words, not a heading-like stub."""
    sizes = [_size(p, base.language) for p in base.paragraphs]
    usable = [i for i, s in enumerate(sizes) if s <= 0.25 * size]
    substantial = [i for i in usable if sizes[i] >= 20]
    return substantial or usable


# ---------------------------------------------------------------- WCXB bases


def _wcxb_bases(path: Path, limit: int, rng: random.Random) -> list[_Base]:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: planted_corpus needs the shared WCXB dev set "
            f"(or max_wcxb=0); pass shared=Path('.../shared') if it lives elsewhere"
        )
    pages = json.loads(path.read_text(encoding="utf-8"))
    eligible = []
    for page_id in sorted(pages):
        page = pages[page_id]
        paragraphs = [p.strip() for p in (page.get("articleBody") or "").split("\n\n")]
        paragraphs = [p for p in paragraphs if p]
        if (
            page.get("page_type") == "article"
            and _words(paragraphs) >= 150
            and len(paragraphs) >= 4
        ):
            eligible.append((page_id, (page.get("title") or "").strip(), paragraphs))
    rng.shuffle(eligible)
    accepted = _distinct(eligible, limit + limit // 2)  # a spare page per negative, and more
    spares = [(_words(page[2]), page[2]) for page in accepted[limit:]]
    bases = []
    for page_id, title, paragraphs in accepted[:limit]:
        language = _guess_language("\n\n".join(paragraphs))
        base = _Base(
            f"wcxb-{page_id}", language, title or _title(paragraphs[0], language), paragraphs
        )
        if language == "en" and spares and rng.random() < NEGATIVE_SHARE:
            _plan_negative(base, rng, lambda target, least: _spare_page(spares, target, least))
        bases.append(base)
    return bases


def _distinct(
    pages: list[tuple[str, str, list[str]]], limit: int
) -> list[tuple[str, str, list[str]]]:
    """Pages in order, skipping any that shares over 20% of its (sampled) 5-word sequences
    with a page already taken: such pairs would be unplanted duplicates."""
    owner: dict[int, int] = {}
    ids: dict[str, int] = {}
    sizes: list[int] = []
    accepted = []
    for page in pages:
        shingles = _sampled_shingles(" ".join(page[2]), ids)
        shared = Counter(owner[s] for s in shingles if s in owner)
        if any(n > 0.2 * min(len(shingles), sizes[i]) for i, n in shared.items()):
            continue
        for shingle in shingles:
            owner.setdefault(shingle, len(sizes))
        sizes.append(len(shingles))
        accepted.append(page)
        if len(accepted) == limit:
            break
    return accepted


def _sampled_shingles(text: str, ids: dict[str, int]) -> set[int]:
    """A quarter of the text's 5-word sequences, chosen by value so that every page keeps
    the same ones (words numbered in `ids`: tuples of ints hash the same in every process)."""
    words = [ids.setdefault(w, len(ids)) for w in re.findall(r"\w+", text.casefold())]
    hashes = (hash(tuple(words[i : i + 5])) for i in range(len(words) - 4))
    return {h for h in hashes if h % 4 == 0}


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _spare_page(spares: list[tuple[int, list[str]]], target: float, least: int) -> list[str]:
    """The leading paragraphs (about `target` words) of the spare page closest in size."""
    if not spares:
        return []
    big_enough = [i for i, (size, _) in enumerate(spares) if size >= target]
    best = min(big_enough or range(len(spares)), key=lambda i: abs(spares[i][0] - target))
    _size_words, paragraphs = spares.pop(best)
    return _take_blocks(deque(paragraphs), target, "en", least, most=len(paragraphs))


def _guess_language(text: str) -> str:
    ascii_share = len(re.findall(r"[A-Za-z]", text)) / max(1, len(_LETTER.findall(text)))
    return "en" if ascii_share >= 0.9 else "und"


def _pools_for(base: _Base, pools: dict[str, _Pools], strip: str) -> _Pools:
    """WCXB pages use the English intro and boilerplate pools; a page of unknown language
    draws its replacement words from its own text."""
    if base.language in pools:
        return pools[base.language]
    own = [t for p in base.paragraphs for t in _word_cores(p, strip)]
    return replace(pools["en"], tokens=tuple(own))


# ---------------------------------------------------------------- families


def _family(base: _Base, pools: _Pools, strip: str, rng: random.Random) -> list[PlantedDoc]:
    """The original, its copies and its hard negative."""
    published = EPOCH + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    source = rng.choice(OUTLETS)
    text = "\n\n".join(base.paragraphs)
    docs = [
        PlantedDoc(
            base.key, base.key, "original", 0.0, base.language, base.title, text, published, source
        )
    ]
    count = rng.choices(range(len(COPY_COUNTS)), weights=COPY_COUNTS)[0]
    edits = rng.sample(COPY_EDITS, count)
    others = [outlet for outlet in OUTLETS if outlet != source]
    outlets = rng.sample(others, count)
    combos = {edit: _combo_parts(rng) if edit == "combo" else (edit,) for edit in edits}
    for number, (edit, outlet) in enumerate(zip(edits, outlets, strict=True), 1):
        copy_text, magnitude = _copy_text(base, combos[edit], pools, outlet, strip, rng)
        docs.append(
            PlantedDoc(
                f"{base.key}~c{number}",
                base.key,
                edit,
                round(magnitude, 4),
                base.language,
                _copy_title(base.title, outlet, base.language, rng),
                copy_text,
                published + timedelta(seconds=rng.randint(HOUR, WEEK)),
                outlet,
            )
        )
    if base.negative:
        # the outlet a boilerplate copy went to, else the one such a copy would go to
        with_boilerplate = [
            o for e, o in zip(edits, outlets, strict=True) if "boilerplate" in combos[e]
        ]
        outlet = with_boilerplate[0] if with_boilerplate else rng.choice(others)
        docs.append(_negative(base, pools, outlet, published, source, rng))
    return docs


def _combo_parts(rng: random.Random) -> tuple[str, ...]:
    parts = rng.sample(COMBO_PARTS, 2)
    return tuple(sorted(parts, key=COMBO_PARTS.index))


def _copy_text(
    base: _Base, parts: tuple[str, ...], pools: _Pools, outlet: str, strip: str, rng: random.Random
) -> tuple[str, float]:
    """The copy's text and magnitude after `parts` (one edit, or the two of a combo)."""
    language = base.language
    paragraphs = list(base.paragraphs)
    total = _size("\n\n".join(paragraphs), language)
    magnitude = 0.0
    if parts == ("exact",):
        return "\n\n".join(paragraphs), 0.0
    if parts == ("punctuation",):
        return _typography("\n\n".join(paragraphs), rng), 0.0
    for part in parts:
        if part == "reorder":
            paragraphs = _reorder(paragraphs, rng)
        elif part == "trim":
            paragraphs, removed = _trim(paragraphs, language, total, rng)
            magnitude += removed
        elif part == "words":
            share = rng.uniform(0.05, 0.10 if len(parts) > 1 else 0.20)
            paragraphs, changed = _replace_words(paragraphs, share, pools, language, strip, rng)
            magnitude += changed
        elif part == "intro":
            sentence = rng.choice(pools.intros)
            magnitude += _size(sentence, language) / total
            if rng.random() < 0.5:
                paragraphs = [sentence, *paragraphs]
            else:
                paragraphs = [sentence + _joiner(language) + paragraphs[0], *paragraphs[1:]]
        else:  # boilerplate
            text = pools.boilerplate[outlet]
            magnitude += _size(text, language) / total
            at_start = rng.random() < 0.3
            paragraphs = [text, *paragraphs] if at_start else [*paragraphs, text]
    return "\n\n".join(paragraphs), magnitude


def _copy_title(title: str, outlet: str, language: str, rng: random.Random) -> str:
    """The original title, sometimes decorated as outlets do."""
    roll = rng.random()
    number = int(outlet.rsplit("-", 1)[1])
    if roll < 0.6:
        return title
    if roll < 0.8 or (roll >= 0.9 and language != "en"):
        return f"{title} | Outlet {number}"
    if roll < 0.9:
        return f"{title} - {outlet}"
    return f"EXCLUSIVE: {title}"


def _negative(
    base: _Base, pools: _Pools, outlet: str, published: datetime, source: str, rng: random.Random
) -> PlantedDoc:
    language = base.language
    key = f"{base.key}~n1"
    if base.negative == "negative_template":
        boilerplate = pools.boilerplate[outlet]
        at_start = rng.random() < 0.3
        paragraphs = [boilerplate, *base.material] if at_start else [*base.material, boilerplate]
        title = _mixed_title(base.title, base.material[0], 3, language)
        when = published + timedelta(seconds=rng.randint(-30 * 86400, 30 * 86400))
        return PlantedDoc(
            key,
            key,
            "negative_template",
            1.0,
            language,
            title,
            "\n\n".join(paragraphs),
            when,
            outlet,
        )
    background = base.paragraphs[base.background]
    reused = _size(background, language) / _size("\n\n".join(base.paragraphs), language)
    paragraphs = [base.material[0], background, *base.material[1:]]  # lede, then background
    title = _mixed_title(base.title, base.material[0], rng.choice((2, 3)), language)
    when = published + timedelta(seconds=rng.randint(86400, 14 * 86400))
    return PlantedDoc(
        key,
        key,
        "negative_followup",
        round(1 - reused, 4),
        language,
        title,
        "\n\n".join(paragraphs),
        when,
        rng.choice((source, outlet)),
    )


# ---------------------------------------------------------------- edits


def _reorder(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Another order (so at least two paragraphs move); the first stays first half the time."""
    keep_first = len(paragraphs) >= 3 and rng.random() < 0.5
    head, rest = (paragraphs[:1], paragraphs[1:]) if keep_first else ([], paragraphs)
    shuffled = list(rest)
    while shuffled == rest:
        rng.shuffle(shuffled)
    return head + shuffled


def _trim(
    paragraphs: list[str], language: str, total: float, rng: random.Random
) -> tuple[list[str], float]:
    """Drop a middle paragraph or cut the last one or two, never over 25% of the words."""
    sizes = [_size(p, language) for p in paragraphs]
    count = len(paragraphs)
    middle = [(i,) for i in range(1, count - 1) if sizes[i] <= 0.25 * total]
    tails = [
        tuple(range(count - n, count))
        for n in (1, 2)
        if n < count and sum(sizes[count - n :]) <= 0.25 * total
    ]
    options = (middle if rng.random() < 0.5 else tails) or middle or tails
    if not options:  # only when a reorder put the one small paragraph first
        options = [(min(range(count), key=sizes.__getitem__),)]
    cut = set(rng.choice(options))
    removed = sum(sizes[i] for i in cut) / total
    return [p for i, p in enumerate(paragraphs) if i not in cut], removed


def _replace_words(
    paragraphs: list[str],
    share: float,
    pools: _Pools,
    language: str,
    strip: str,
    rng: random.Random,
) -> tuple[list[str], float]:
    """Replace `share` of the words (letters when unspaced) by tokens sampled from the
    language's running text, so frequent words come up as often as they do in news."""
    text = "\n\n".join(paragraphs)
    if language in UNSPACED:
        spans = [(i, i + 1) for i, char in enumerate(text) if char.isalpha()]
    else:
        spans = []
        for match in _WORD_TOKEN.finditer(text):
            token = match.group(0)
            start = match.start() + len(token) - len(token.lstrip(strip))
            end = match.end() - (len(token) - len(token.rstrip(strip)))
            if start < end and _LETTER.search(text, start, end):
                spans.append((start, end))
    chosen = sorted(rng.sample(spans, round(share * len(spans))))
    pieces = []
    position = 0
    for start, end in chosen:
        pieces += [text[position:start], _replacement(text[start:end], pools.tokens, rng)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces).split("\n\n"), len(chosen) / max(1, len(spans))


def _replacement(word: str, tokens: Sequence[str], rng: random.Random) -> str:
    """A different token; for a single letter, one of the same kind (a Han character is not
    replaced by a Latin letter of a name)."""
    for _ in range(50):
        new = rng.choice(tokens)
        if new.casefold() != word.casefold() and (len(word) > 1 or new.isascii() == word.isascii()):
            break
    if word[:1].isupper() and new[:1].islower():  # a capitalised word stays capitalised
        new = new[0].upper() + new[1:]
    return new


def _tokens(text: str, language: str, strip: str) -> list[str]:
    if language in UNSPACED:
        return [char for char in text if char.isalpha()]
    return _word_cores(text, strip)


def _word_cores(text: str, strip: str) -> list[str]:
    cores = (token.strip(strip) for token in text.split())
    return [core for core in cores if _LETTER.search(core)]


def _typography(text: str, rng: random.Random) -> str:
    """Two to four typographic changes; the words stay the same."""
    steps = rng.sample(_TYPOGRAPHY_STEPS, rng.randint(2, 4))
    changed = text
    for step in _TYPOGRAPHY_STEPS:  # fixed order: trailing spaces last
        if step in steps:
            changed = _TYPOGRAPHY[step](changed, rng)
    return changed if changed != text else _trailing_spaces(text, rng)


def _quotes(text: str, rng: random.Random) -> str:
    """Curly quotes made straight, or straight ones curly (opening and closing in turn)."""
    if any(q in text for q in "“”‘’„"):
        return text.translate(_STRAIGHT_QUOTES)
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    pieces = text.split('"')
    curly = (piece + ("“" if i % 2 == 0 else "”") for i, piece in enumerate(pieces[:-1]))
    return "".join(curly) + pieces[-1]


_STRAIGHT_QUOTES: Final = str.maketrans("“”„‘’", '"""\'\'')


def _dashes(text: str, rng: random.Random) -> str:
    if " - " in text or re.search(r"\d-\d", text):
        text = text.replace(" - ", rng.choice((" – ", " — ", "—")))
        return re.sub(r"(?<=\d)-(?=\d)", "–", text)
    return re.sub(r" ?[–—] ?", " - ", text)


def _double_spaces(text: str, rng: random.Random) -> str:
    return re.sub(r"(?<=[.!?]) (?=\S)", "  ", text)


def _nbsp(text: str, rng: random.Random) -> str:
    changed = re.sub(r" (?=[:;!?»%])", "\u00a0", text)
    changed = re.sub(r"(?<=\d) (?=\w)", "\u00a0", changed)
    if changed == text:
        spaces = [m.start() for m in re.finditer(" ", text)]
        for i in rng.sample(spaces, min(3, len(spaces))):
            changed = changed[:i] + "\u00a0" + changed[i + 1 :]
    return changed


def _first_sentence_case(text: str, rng: random.Random) -> str:
    sentence = _first_sentence(text.split("\n\n", 1)[0])
    if rng.random() < 0.5:
        cased = sentence.upper()
    else:
        cased = " ".join(word[:1].upper() + word[1:] for word in sentence.split(" "))
    return cased + text[len(sentence) :]


def _trailing_spaces(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    chosen = set(rng.sample(range(len(paragraphs)), rng.randint(1, len(paragraphs))))
    return "\n\n".join(
        p + " " * rng.randint(1, 2) if i in chosen else p for i, p in enumerate(paragraphs)
    )


_TYPOGRAPHY: Final[dict[str, Callable[[str, random.Random], str]]] = {
    "quotes": _quotes,
    "dashes": _dashes,
    "spaces": _double_spaces,
    "nbsp": _nbsp,
    "case": _first_sentence_case,
    "trailing": _trailing_spaces,
}


# ---------------------------------------------------------------- scaled corpus


@dataclass(slots=True)
class _Recent:
    doc: PlantedDoc
    paragraphs: list[list[str]]  # words, so edits stay cheap
    copies: int = 0


def _scaled_original(key: str, language: str, words: Vocabulary, rng: random.Random) -> _Recent:
    remaining = rng.randint(150, 600)
    paragraphs = []
    while remaining > 0:  # one stream slice per paragraph: articles share no long runs
        size = min(remaining, rng.randint(40, 120))
        paragraphs.append(words.words(rng, size))
        remaining -= size
    text = _render(paragraphs, language)
    head = paragraphs[0][:8]  # the first words; cheaper than finding the first sentence
    title = "".join(head)[:20] if language in UNSPACED else " ".join(head)
    published = EPOCH + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    doc = PlantedDoc(
        key, key, "original", 0.0, language, title, text, published, rng.choice(SCALED_OUTLETS)
    )
    return _Recent(doc, paragraphs)


def _scaled_copy(
    original: _Recent, vocabularies: dict[str, Vocabulary], rng: random.Random
) -> PlantedDoc:
    doc = original.doc
    words = vocabularies[doc.language]
    paragraphs = original.paragraphs
    total = sum(len(p) for p in paragraphs)
    edit = rng.choice(("exact", "intro", "trim", "words"))
    magnitude = 0.0
    if edit == "intro":
        intro = words.words(rng, rng.randint(10, 35))
        paragraphs, magnitude = [intro, *paragraphs], len(intro) / total
    elif edit == "trim":  # an excerpt: the last 5-25% of the words cut
        keep = total - round(rng.uniform(0.05, 0.25) * total)
        paragraphs, magnitude = _cut(paragraphs, keep), (total - keep) / total
    elif edit == "words":
        paragraphs = [list(p) for p in paragraphs]
        positions = rng.sample(range(total), round(rng.uniform(0.05, 0.10) * total))
        flat = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
        for position in positions:
            i, j = flat[position]
            paragraphs[i][j] = rng.choice(words.stream)
        magnitude = len(positions) / total
    original.copies += 1
    outlet = rng.choice([o for o in SCALED_OUTLETS if o != doc.source])
    return PlantedDoc(
        f"{doc.key}~c{original.copies}",
        doc.key,
        edit,
        round(magnitude, 4),
        doc.language,
        doc.title,
        _render(paragraphs, doc.language),
        doc.published + timedelta(seconds=rng.randint(HOUR, WEEK)),
        outlet,
    )


def _cut(paragraphs: list[list[str]], keep: int) -> list[list[str]]:
    kept = []
    for paragraph in paragraphs:
        if keep <= 0:
            break
        kept.append(paragraph[:keep])
        keep -= len(paragraph)
    return kept


def _render(paragraphs: list[list[str]], language: str) -> str:
    return "\n\n".join(_render_paragraph(p, language) for p in paragraphs)


def _render_paragraph(words: list[str], language: str) -> str:
    """Sentences of a dozen words, written as the script is (as benchmarks.corpus_text)."""
    if language in ("zh", "ja"):
        return "，".join("".join(words[i : i + 12]) for i in range(0, len(words), 12)) + "。"
    if language == "th":
        return " ".join("".join(words[i : i + 8]) for i in range(0, len(words), 8))
    text = ". ".join([" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]) + "."
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- summary


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _jaccard(a: str, b: str) -> float:
    x, y = _word_set(a), _word_set(b)
    return len(x & y) / len(x | y) if x | y else 1.0


def main() -> None:
    started = time.perf_counter()
    docs = planted_corpus()
    seconds = time.perf_counter() - started
    families = Counter(doc.family for doc in docs)
    print(
        f"planted corpus: {len(docs):,} documents in {seconds:.1f} s, "
        f"{sum(n > 1 for n in families.values()):,} "
        f"families with copies, {len(truth_pairs(docs)):,} true pairs, mean "
        f"{statistics.mean(_size(d.text, d.language) for d in docs):.0f} words per document"
    )
    _print_jaccard(docs)
    _print_languages(docs)


def _print_jaccard(docs: list[PlantedDoc]) -> None:
    """Word-set Jaccard of each copy (negative) with its original: a sanity check of the
    edits' sizes, not a detector."""
    by_key = {doc.key: doc for doc in docs}
    rows: dict[str, list[PlantedDoc]] = defaultdict(list)
    for doc in docs:
        rows[doc.edit].append(doc)
        if doc.edit == "words":
            rows["words, " + ("zh/ja/th" if doc.language in UNSPACED else "spaced")].append(doc)
    print("\nword-set Jaccard (casefolded \\w+) of each document with its original")
    print(f"{'edit':<18}{'docs':>6}{'magnitude':>11}{'min':>7}{'median':>8}{'max':>7}")
    for edit in [*EDITS[:6], "words, spaced", "words, zh/ja/th", *EDITS[6:]]:
        scores = [_jaccard(d.text, by_key[d.key.split("~")[0]].text) for d in rows[edit]]
        magnitude = statistics.mean(d.magnitude for d in rows[edit])
        _print_row(edit, scores, f"{magnitude:.3f}")
    pairs = (sorted(pair) for pair in truth_pairs(docs))
    siblings = [_jaccard(by_key[a].text, by_key[b].text) for a, b in pairs if "~" in a]
    _print_row("copy vs copy", siblings, "")
    print("(zh/ja/th: a \\w+ token is a whole clause, so one changed letter changes it)")


def _print_row(label: str, scores: list[float], magnitude: str) -> None:
    if scores:
        print(
            f"{label:<18}{len(scores):>6}{magnitude:>11}{min(scores):>7.3f}"
            f"{statistics.median(scores):>8.3f}{max(scores):>7.3f}"
        )


def _print_languages(docs: list[PlantedDoc]) -> None:
    print("\ndocuments per language (originals)")
    languages = Counter(d.language for d in docs)
    originals = Counter(d.language for d in docs if d.edit == "original")
    cells = [f"{lang} {languages[lang]:>4} ({originals[lang]:>3})" for lang in sorted(languages)]
    for row in range(0, len(cells), 6):
        print("  " + "   ".join(cells[row : row + 6]))


if __name__ == "__main__":
    main()
