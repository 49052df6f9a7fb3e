"""Language identification: article text (+ what the page declares) -> LanguageResult.

Pure (no scrapy, no sqlalchemy) and deterministic: the same text and hints give the same
answer in every process. The text is normalised to Unicode NFC, split into paragraphs on
blank lines (a paragraph under 40 letters is joined to the next one), and each paragraph
is decided by the first of these rules that applies:

1. Fewer than 10 letters -> "und" (vowel signs count as letters; CJK, kana, Hangul and
   Ethiopic characters count double, as each carries a syllable or more). Not 20: on
   the NTREX dev set 196 of the 208 sentences under 20 letters are identified correctly.
   Between 10 and 20 letters the answer comes with a low confidence when it is a guess.
2. Script. A script written by essentially one language names it: Ethiopic -> am,
   Hangul -> ko, kana -> ja, other Han -> zh, Thai -> th, Georgian -> ka ... (see
   crawler.lang.scripts). A hint may pick the minority language of a script (Ethiopic with
   a "ti" hint -> ti). No detector is asked, which is both faster and surer.
3. py3langid (model shipped in its package), restricted to languages with an ISO 639-1
   code: dead and constructed ones (la, sa, eo, vo) and varieties without a code (pcm,
   ext, vec ...) are dropped, varieties of a macrolanguage are added into it (wuu, yue ->
   zh; arz, ary -> ar), and languages of under ~1M native speakers far from our regions
   (fy, se, an ...) count only when a hint names them. Its posterior (a softmax tempered
   by text length) is the likelihood of each language. See crawler.lang.models.
4. Hints are priors: the posterior is multiplied by 3 for a language the page declares
   (html lang, og:locale, Content-Language, hreflang) and by 5 for one the source
   declares (sources.toml is curated; page tags are often CMS defaults), then
   renormalised. A clear text outweighs them (many WordPress sites say en-US whatever
   they publish); an ambiguous one follows them.
5. langdetect (seeded, profiles loaded in a fixed order) is asked only when py3langid
   cannot separate its two leading languages (the runner-up has at least 3/4 of the
   leader's probability) and langdetect knows both; its probabilities then multiply the
   posterior. Used more widely it does harm: asked whenever py3langid was below 0.9 it
   fixed 2 and broke 7 of the 5,800 dev sentences, at ~20x py3langid's cost per text.
6. Malay or Indonesian on top: the split between the two is re-decided on log-odds that
   add py3langid's, 1.5 per marker word of either standard (crawler.lang.words) and 3 for
   the source's country (MY, BN, SG -> ms; ID -> id). On short text the country, or a
   declared language (rule 4), decides.

The article's language is the one holding most letters. Paragraphs are then re-read with
that language as a prior (x10), so that a short, ambiguous paragraph joins the article
while a clear quotation in another language keeps its own label. `shares` is each
language's share of the detected letters; `code_switched` is set when a second language
holds at least 15%; `confidence` is the letter-weighted mean confidence of the paragraphs
in the article's language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from crawler.items import LanguageHints
from crawler.lang.models import (
    FOLDED,
    LANGDETECT_LANGUAGES,
    NO_LANGUAGE,
    langdetect_probabilities,
    py3langid_posteriors,
)
from crawler.lang.scripts import ScriptProfile, profile, script_language
from crawler.lang.words import malay_indonesian_balance

UNDETERMINED = "und"
MIN_LETTERS = 10  # fewer letters than this: too short to tell (see the module docstring)
MIN_PARAGRAPH_LETTERS = 40  # shorter paragraphs are joined to the next one
CODE_SWITCH_SHARE = 0.15

_PAGE_HINT_WEIGHT = 3.0  # page tags are often a CMS default: a nudge, not a verdict
_SOURCE_HINT_WEIGHT = 5.0  # sources.toml is curated by us
_ARTICLE_WEIGHT = 10.0  # an unclear paragraph is most likely in its article's language
_NEAR_TIE = 0.75  # runner-up / leader ratio from which py3langid is deemed unable to tell
_MARKER_WEIGHT = 1.5  # log-odds per Malay/Indonesian marker word (about 4.5 : 1)
_MAX_MARKERS = 4  # a long text's markers should not outvote everything else
_COUNTRY_WEIGHT = 3.0  # log-odds of the source's country (about 20 : 1)
_SCRIPT_CONFIDENCE = 0.99  # a script is near-proof, never proof

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_MALAY_COUNTRIES = frozenset({"MY", "BN", "SG"})
_INDONESIAN_COUNTRIES = frozenset({"ID"})

# Old or three-letter codes seen in lang attributes and sources.toml.
_ALIASES = {
    **FOLDED,
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "nb": "no",
    "fil": "tl",
    "tgl": "tl",
    "zsm": "ms",
    "msa": "ms",
    "may": "ms",
    "ind": "id",
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "por": "pt",
    "ara": "ar",
    "cmn": "zh",
    "zho": "zh",
    "chi": "zh",
    "swa": "sw",
    "swh": "sw",
}


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """The language of a text, how sure we are, and how its paragraphs split."""

    language: str  # ISO 639-1 code, or "und"
    confidence: float  # 0..1
    shares: dict[str, float]  # share of the letters per language; {} for "und"
    code_switched: bool  # a second language holds at least CODE_SWITCH_SHARE


UNDETERMINED_RESULT = LanguageResult(UNDETERMINED, 0.0, {}, False)


@dataclass(frozen=True, slots=True)
class _Priors:
    """Hints reduced to what the decision uses."""

    weights: dict[str, float]  # prior factor per declared language
    malay_side: int  # +1 the source's country says Malay, -1 Indonesian, 0 neither

    @property
    def named(self) -> frozenset[str]:
        return frozenset(self.weights)


@dataclass(frozen=True, slots=True)
class _Paragraph:
    """One paragraph (or run of short ones) and its posterior; {} when undetermined."""

    letters: int
    posterior: dict[str, float]

    @property
    def language(self) -> str:
        return _ranked(self.posterior)[0][0] if self.posterior else UNDETERMINED


def detect(text: str, hints: LanguageHints | None = None) -> LanguageResult:
    """Identify the language of `text`; `hints` inform the decision when the text is unclear."""
    priors = _priors(hints) if hints is not None else _NO_PRIORS
    units = _units(unicodedata.normalize("NFC", text))
    settled = [_without_model(scripts, priors) for _, scripts in units]
    # The paragraphs the model must read, all at once (crawler.lang.batched).
    modelled = [unit for (unit, _), done in zip(units, settled, strict=True) if done is None]
    posteriors = iter(py3langid_posteriors(modelled, priors.named))
    return _result([
        _decide(unit, scripts, next(posteriors), priors) if done is None else done
        for (unit, scripts), done in zip(units, settled, strict=True)
    ])  # fmt: skip


# --- hints -------------------------------------------------------------------------------


def language_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("en-US", "pt_BR", "fil", "iw"), or None."""
    primary = re.split(r"[-_]", (tag or "").strip().lower(), maxsplit=1)[0]
    primary = _ALIASES.get(primary, primary)
    return primary if len(primary) == 2 and primary.isalpha() else None


def _codes(tags: tuple[str | None, ...]) -> set[str]:
    split = (part for tag in tags if tag for part in tag.split(","))  # "en, fr" headers
    return {code for code in map(language_code, split) if code}


def _priors(hints: LanguageHints) -> _Priors:
    page = _codes((hints.html_lang, hints.og_locale, hints.content_language, hints.hreflang))
    source = _codes(hints.source_languages)
    weights = dict.fromkeys(page, _PAGE_HINT_WEIGHT)
    weights.update(dict.fromkeys(source, _SOURCE_HINT_WEIGHT))
    country = (hints.country or "").strip().upper()
    malay_side = (country in _MALAY_COUNTRIES) - (country in _INDONESIAN_COUNTRIES)
    return _Priors(weights, malay_side)


_NO_PRIORS = _Priors({}, 0)


# --- paragraphs --------------------------------------------------------------------------


def _units(text: str) -> list[tuple[str, ScriptProfile]]:
    """Paragraphs with their scripts, short ones joined to the next (the last to the previous)."""
    units: list[tuple[str, ScriptProfile]] = []
    pending: tuple[str, ScriptProfile] | None = None
    for paragraph in _PARAGRAPH_BREAK.split(text):
        unit = (paragraph, profile(paragraph))
        if not unit[1].letters:
            continue
        if pending is not None:
            unit = (f"{pending[0]}\n\n{unit[0]}", pending[1] + unit[1])
        pending = None
        if unit[1].weighted_letters >= MIN_PARAGRAPH_LETTERS:
            units.append(unit)
        else:
            pending = unit
    if pending is not None and units:
        last = units.pop()
        pending = (f"{last[0]}\n\n{pending[0]}", last[1] + pending[1])
    return [*units, pending] if pending is not None else units


def _without_model(scripts: ScriptProfile, priors: _Priors) -> _Paragraph | None:
    """Rules 1 and 2: a paragraph too short to tell, or in a script that names its
    language; None when the model must read it."""
    if scripts.weighted_letters < MIN_LETTERS:
        return _Paragraph(scripts.letters, {})
    by_script = script_language(scripts, priors.named)
    if by_script is None:
        return None
    language, share = by_script
    return _Paragraph(scripts.letters, {language: min(share, _SCRIPT_CONFIDENCE)})


def _decide(
    text: str, scripts: ScriptProfile, modelled: dict[str, float], priors: _Priors
) -> _Paragraph:
    """Rules 3 to 6, from py3langid's posterior for ``text`` (``modelled``)."""
    posterior = _reweighted(modelled, priors.weights)
    posterior = _break_near_tie(text, posterior)
    if _ranked(posterior)[0][0] in ("ms", "id"):
        posterior = _settle_malay_indonesian(text, posterior, priors.malay_side)
    if _ranked(posterior)[0][0] == NO_LANGUAGE:
        return _Paragraph(scripts.letters, {})
    return _Paragraph(scripts.letters, posterior)


def _ranked(posterior: dict[str, float]) -> list[tuple[str, float]]:
    """Languages by probability, best first; ties broken by code, for determinism."""
    return sorted(posterior.items(), key=lambda item: (-item[1], item[0]))


def _reweighted(posterior: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """Multiply by prior factors (1 for languages without one) and renormalise."""
    if not weights:
        return posterior
    scaled = {language: p * weights.get(language, 1.0) for language, p in posterior.items()}
    total = sum(scaled.values())
    return {language: p / total for language, p in scaled.items()} if total else posterior


# --- langdetect on near-ties ------------------------------------------------------------


def _break_near_tie(text: str, posterior: dict[str, float]) -> dict[str, float]:
    """Let langdetect vote when py3langid cannot separate its two leading languages."""
    ranked = _ranked(posterior)
    if len(ranked) < 2 or ranked[1][1] < _NEAR_TIE * ranked[0][1]:
        return posterior
    pair = (ranked[0][0], ranked[1][0])
    if not LANGDETECT_LANGUAGES.issuperset(pair):
        return posterior
    votes = langdetect_probabilities(text, pair)
    # langdetect omits languages below 0.1: a floor keeps a lone vote from being absolute.
    return _reweighted(posterior, {language: votes.get(language, 0.0) + 0.01 for language in pair})


# --- Malay and Indonesian ----------------------------------------------------------------


def _settle_malay_indonesian(
    text: str, posterior: dict[str, float], malay_side: int
) -> dict[str, float]:
    """Re-split the probability of ms + id using marker words and the source's country."""
    p_ms, p_id = posterior.get("ms", 0.0), posterior.get("id", 0.0)
    markers = max(-_MAX_MARKERS, min(_MAX_MARKERS, malay_indonesian_balance(text)))
    log_odds = math.log((p_ms + 1e-9) / (p_id + 1e-9))
    log_odds += _MARKER_WEIGHT * markers + _COUNTRY_WEIGHT * malay_side  # |log_odds| < 30
    malay = 1.0 / (1.0 + math.exp(-log_odds))
    return {**posterior, "ms": (p_ms + p_id) * malay, "id": (p_ms + p_id) * (1.0 - malay)}


# --- the article -------------------------------------------------------------------------


def _result(paragraphs: list[_Paragraph]) -> LanguageResult:
    detected = [paragraph for paragraph in paragraphs if paragraph.posterior]
    if not detected:
        return UNDETERMINED_RESULT
    article = _dominant(detected)
    reread = [_reread(paragraph, article) for paragraph in detected]
    letters = _letters_by_language(reread)
    total = sum(letters.values())
    shares = {language: round(count / total, 4) for language, count in _ranked_counts(letters)}
    in_article = [p for p in reread if p.language == article]
    confidence = sum(p.letters * p.posterior[article] for p in in_article) / letters[article]
    second = sorted(shares.values(), reverse=True)[1:2]
    return LanguageResult(
        language=article,
        confidence=round(min(1.0, max(0.0, confidence)), 4),
        shares=shares,
        code_switched=bool(second) and second[0] >= CODE_SWITCH_SHARE,
    )


def _reread(paragraph: _Paragraph, article: str) -> _Paragraph:
    """The paragraph with the article's language as a prior, if that changes its label."""
    if paragraph.language == article:
        return paragraph
    posterior = _reweighted(paragraph.posterior, {article: _ARTICLE_WEIGHT})
    relabelled = _Paragraph(paragraph.letters, posterior)
    return relabelled if relabelled.language == article else paragraph


def _letters_by_language(paragraphs: list[_Paragraph]) -> Counter[str]:
    letters: Counter[str] = Counter()
    for paragraph in paragraphs:
        letters[paragraph.language] += paragraph.letters
    return letters


def _ranked_counts(letters: Counter[str]) -> list[tuple[str, int]]:
    return sorted(letters.items(), key=lambda item: (-item[1], item[0]))


def _dominant(paragraphs: list[_Paragraph]) -> str:
    return _ranked_counts(_letters_by_language(paragraphs))[0][0]
