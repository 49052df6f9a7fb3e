"""Load and validate the source registry (``sources.toml``) into frozen Source objects.

The format is documented in ``docs/sources.md``. Every problem is reported as a SourcesError
whose message is one line naming the file, the line, the entry and the field, and saying what
to do, so that the CLI can print it as it is.
"""

from __future__ import annotations

import difflib
import functools
import ipaddress
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

BUNDLED_SOURCES: Final = Path(__file__).with_name("sources.toml")

REGIONS: Final = frozenset({"africa", "latam", "mena", "south-asia", "southeast-asia"})


def _code_set(codes: str) -> frozenset[str]:
    return frozenset(codes.split())


ISO_639_1: Final = _code_set(
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy"
    " da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht"
    " hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky"
    " la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny"
    " oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss"
    " st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo"
    " za zh zu"
)

ISO_3166_1: Final = _code_set(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ"
    " BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM"
    " DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS"
    " GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN"
    " KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ"
    " MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM"
    " PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV"
    " SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI"
    " VN VU WF WS YE YT ZA ZM ZW"
)

_NAME_RE: Final = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_INTERVAL_RE: Final = re.compile(r"\s*(\d+)\s*([mhdw])\s*")
_INTERVAL_UNITS: Final = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_TOML_POSITION_RE: Final = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_ENTRY_HEADER_RE: Final = re.compile(r"^[ \t]*\[\[[ \t]*sources[ \t]*\]\]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Source:
    """One publication to crawl, as declared in sources.toml."""

    name: str
    url: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    country: str | None = None
    region: str | None = None
    interval: timedelta = timedelta(days=1)
    terms: str | None = None
    enabled: bool = True
    api: str = "auto"  # "auto": use a CMS API the site announces; "wordpress"; "none"

    @property
    def domains(self) -> tuple[str, ...]:
        """Hostnames of url, feeds and sitemaps, plus the www-less/www-ful twin of url's host."""
        return _domains(self.url, self.feeds, self.sitemaps)


class SourcesError(Exception):
    """A sources file is missing, unreadable or invalid; str() is one actionable line."""


class _Invalid(Exception):
    """A field value is wrong; the message completes "field 'x' ..."."""


def parse_interval(text: str) -> timedelta:
    """Parse "30m", "6h", "1d" or "2w" into a positive timedelta; ValueError otherwise."""
    match = _INTERVAL_RE.fullmatch(text)
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"invalid interval {text!r}: use a positive number and m, h, d or w")
    return timedelta(**{_INTERVAL_UNITS[match.group(2)]: int(match.group(1))})


def load_sources(path: Path | None = None) -> list[Source]:
    """Read and validate a sources file; None reads the bundled registry."""
    path = BUNDLED_SOURCES if path is None else path
    text = _read_text(path)
    document = _parse_toml(path, text)
    entries = _entries(path, document)
    lines = _entry_lines(text, len(entries))
    sources: list[Source] = []
    for index, entry in enumerate(entries):
        where = _Where(path, index + 1, lines[index] if lines else None, entry)
        sources.append(_source(where, entry, sources))
    return sources


def select_sources(sources: Sequence[Source], names: Sequence[str]) -> list[Source]:
    """The named sources in the order given (even disabled ones); no names -> all enabled."""
    if not names:
        return [source for source in sources if source.enabled]
    by_name = {source.name: source for source in sources}
    for name in names:
        if name not in by_name:
            raise SourcesError(
                f"unknown source {name!r}; see `sankofa sources list`{_hint(name, by_name)}"
            )
    return [by_name[name] for name in dict.fromkeys(names)]


# --- reading -------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SourcesError(
            f"{path}: cannot read sources file ({reason}); check the path, or omit it"
            " to use the bundled registry"
        ) from None
    except UnicodeDecodeError as error:
        raise SourcesError(
            f"{path}: not UTF-8 (bad byte at offset {error.start}); save the file as UTF-8"
        ) from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason, line, column = _toml_position(str(error), text)
        raise SourcesError(
            f"{path}:{line}: invalid TOML at line {line}, {column}: {reason}; fix the syntax"
        ) from None


def _toml_position(message: str, text: str) -> tuple[str, int, str]:
    """Split tomllib's "reason (at line L, column C)" / "(at end of document)" message."""
    match = _TOML_POSITION_RE.search(message)
    if match is None:
        end = message.removesuffix(" (at end of document)")
        return end, max(1, len(text.splitlines())), "end of file"
    return message[: match.start()], int(match.group(1)), f"column {match.group(2)}"


def _entries(path: Path, document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    for key in document:
        if key != "sources":
            raise SourcesError(
                f"{path}: unknown top-level key {key!r}; only [[sources]] tables are allowed"
            )
    entries = document.get("sources", [])
    if not isinstance(entries, list) or not all(isinstance(item, dict) for item in entries):
        raise SourcesError(
            f"{path}: 'sources' must be an array of tables; write [[sources]] blocks"
        )
    if not entries:
        raise SourcesError(
            f"{path}: no [[sources]] entries; add at least one [[sources]] table"
            ' with name = "..." and url = "https://..."'
        )
    return entries


def _entry_lines(text: str, count: int) -> list[int] | None:
    """Line number of each [[sources]] header, when the headers can be told apart."""
    lines = [text.count("\n", 0, match.start()) + 1 for match in _ENTRY_HEADER_RE.finditer(text)]
    return lines if len(lines) == count else None


# --- validating ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    """Where an entry is, to prefix its error messages."""

    path: Path
    index: int
    line: int | None
    entry: Mapping[str, Any]

    def error(self, problem: str) -> SourcesError:
        place = f"{self.path}:{self.line}" if self.line else str(self.path)
        name = self.entry.get("name")
        label = f"entry {self.index} ({name!r})" if isinstance(name, str) else f"entry {self.index}"
        return SourcesError(f"{place}: {label}: {problem}")


def _source(where: _Where, entry: Mapping[str, Any], earlier: Sequence[Source]) -> Source:
    _check_keys(where, entry)
    values: dict[str, Any] = {key: _field(where, key, value) for key, value in entry.items()}
    for index, source in enumerate(earlier, start=1):
        if source.name == values["name"]:
            raise where.error(
                f"field 'name' duplicates entry {index}; give each source a unique name"
            )
    return Source(**values)


def _check_keys(where: _Where, entry: Mapping[str, Any]) -> None:
    for key in entry:
        if key not in _FIELDS:
            allowed = ", ".join(sorted(_FIELDS))
            raise where.error(f"unknown field {key!r}{_hint(key, _FIELDS)}; allowed: {allowed}")
    for key in ("name", "url"):
        if key not in entry:
            raise where.error(f"field {key!r} is missing; every [[sources]] entry needs one")


def _field(where: _Where, key: str, value: object) -> object:
    try:
        return _FIELDS[key](value)
    except _Invalid as error:
        raise where.error(f"field {key!r} {error}, got {_shown(value)}") from None


def _hint(word: str, choices: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _name(value: object) -> str:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise _Invalid("must be lowercase letters, digits, '.', '_' or '-', starting alphanumeric")
    return value


def _url(value: object) -> str:
    if not _is_http_url(value):
        raise _Invalid("must be an http(s) URL with a host, e.g. 'https://example.com/'")
    return str(value)


def _urls(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(_is_http_url(item) for item in value):
        raise _Invalid("must be a list of http(s) URLs, e.g. ['https://example.com/feed/']")
    return tuple(value)


def _languages(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(_is_code(item, ISO_639_1) for item in value):
        raise _Invalid(
            "must be a list of ISO 639-1 codes, two lowercase letters, e.g. ['en', 'sw']"
        )
    return tuple(value)


def _country(value: object) -> str:
    if not _is_code(value, ISO_3166_1):
        raise _Invalid("must be an ISO 3166-1 alpha-2 code in upper case, e.g. 'NG'")
    return str(value)


def _region(value: object) -> str:
    if not _is_code(value, REGIONS):
        raise _Invalid(f"must be one of {', '.join(sorted(REGIONS))}")
    return str(value)


def _interval(value: object) -> timedelta:
    try:
        return parse_interval(value) if isinstance(value, str) else parse_interval("")
    except ValueError:
        raise _Invalid("must be a positive duration such as '30m', '6h', '1d' or '2w'") from None


def _is_code(value: object, codes: frozenset[str]) -> bool:
    return isinstance(value, str) and value in codes


def _terms(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("must be a non-empty string")
    return value


def _enabled(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


API_CHOICES: Final = ("auto", "wordpress", "none")


def _api(value: object) -> str:
    if value not in API_CHOICES:
        raise _Invalid(f"must be one of {', '.join(API_CHOICES)}")
    return str(value)


_FIELDS: Final[Mapping[str, Callable[[object], object]]] = {
    "name": _name,
    "url": _url,
    "feeds": _urls,
    "sitemaps": _urls,
    "languages": _languages,
    "country": _country,
    "region": _region,
    "interval": _interval,
    "terms": _terms,
    "enabled": _enabled,
    "api": _api,
}


# --- hosts ---------------------------------------------------------------------------------


def _is_http_url(value: object) -> bool:
    if not isinstance(value, str) or any(char.isspace() for char in value):
        return False
    try:
        parts = urlsplit(value)
        has_host = bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed port (":99999"), IPv6 host ("[::1") or Unicode host
        return False
    return parts.scheme in ("http", "https") and has_host


@functools.lru_cache(maxsize=4096)
def _domains(url: str, feeds: tuple[str, ...], sitemaps: tuple[str, ...]) -> tuple[str, ...]:
    # Cached: the crawl asks for every link of every article page (50-300 a page).
    hosts = [_hostname(url) for url in (url, *feeds, *sitemaps)]
    twin = _www_twin(hosts[0])
    return tuple(dict.fromkeys(host for host in [*hosts, twin] if host))


def _hostname(url: str) -> str:
    return urlsplit(url).hostname or ""


def _www_twin(host: str) -> str:
    if host.startswith("www."):
        return host.removeprefix("www.")
    if "." not in host or _is_ip_address(host):
        return ""
    return f"www.{host}"


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
