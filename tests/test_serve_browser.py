"""`sankofa serve` in a real headless browser: Debian's chromium driven through chromedriver.

Covers what only a browser shows: typing a query and submitting the search form, the
"one per story" checkbox re-running the search through static/enhance.js (so the Content
Security Policy lets our own script run), a facet link narrowing the results (#total and the
URL), Arabic laid out right-to-left and English left-to-right (computed CSS `direction`),
the JSONL, CSV and Parquet downloads saved by the browser with the expected article ids, no
XSS payload from the corpus running or reaching the DOM, and no CSP violation or script
error in the browser's console.

The server is the real command (`python -m crawler.cli serve`) as a subprocess on a free port
of 127.0.0.1, over a SQLite corpus built by tests/web_fixtures.py. Screenshots of each step
go to $SANKOFA_TEST_ARTIFACTS, else test-artifacts/serve/ at the repository root.

Without chromium and chromedriver (apt-get install chromium chromium-driver) the tests are
skipped, except when CI=true: CI installs them, so there their absence is a failure.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, NoReturn, TypeVar

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.crawling import REPO, ServeDidNotStart, sankofa_serve
from tests.web_fixtures import ARABIC_TITLE, HOSTILE_SOURCE, build_corpus

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMEDRIVER: Final = Path("/usr/bin/chromedriver")
WINDOW: Final = (1280, 900)
WAIT_S: Final = 10.0
SERVER_START_S: Final = 30.0
QUERY: Final = "flutterwave OR القاهرة"  # the three copies of one story, and the Arabic article
T = TypeVar("T")


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail on CI, which installs the browser."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: CI must install chromium and chromium-driver)")
    pytest.skip(f"{reason}: apt-get install chromium chromium-driver to run the browser tests")


# --- the server, the browser and the artifacts -------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`sankofa serve` over the test corpus, as a subprocess; its base URL."""
    work = tmp_path_factory.mktemp("serve-browser")
    db_url = f"sqlite:///{work / 'corpus.db'}"
    build_corpus(db_url)
    log_path = work / "serve.log"
    try:
        with sankofa_serve(db_url, log_path, start_seconds=SERVER_START_S) as (_server, port):
            yield f"http://127.0.0.1:{port}"
    except ServeDidNotStart as error:
        pytest.fail(str(error))
    stderr = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in stderr and " failed" not in stderr, stderr


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads: Path) -> Iterator[WebDriver]:
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            _unavailable(f"{binary} is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}", "--lang=en-US"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    })  # fmt: skip
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        # Headless Chrome honours the preference; say it through DevTools as well, to be sure.
        browser.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
        )
        browser.set_page_load_timeout(30)
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    given = os.environ.get("SANKOFA_TEST_ARTIFACTS")
    folder = Path(given) if given else REPO / "test-artifacts" / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(driver: WebDriver, base_url: str, artifacts: Path) -> Iterator[Browser]:
    """The browser for one test; afterwards, its console must hold no CSP violation or error."""
    driver.get_log("browser")  # start from an empty console
    yield Browser(driver, base_url, artifacts)
    problems = [entry for entry in driver.get_log("browser") if _is_problem(entry)]
    assert not problems, "the browser's console reported:\n" + "\n".join(
        f"{e['level']} {e.get('source', '')}: {e['message']}" for e in problems
    )


def _is_problem(entry: dict[str, Any]) -> bool:
    message = str(entry.get("message", ""))
    if "Content Security Policy" in message or "Refused to" in message:
        return True  # whatever the level: something tried what the policy forbids
    # The pages name no icon, so Chromium asks for /favicon.ico and gets a 404: harmless.
    return entry.get("level") == "SEVERE" and "/favicon.ico" not in message


class Browser:
    """The few things the tests do with the page, waiting for the page to get there."""

    def __init__(self, driver: WebDriver, base_url: str, artifacts: Path) -> None:
        self.driver, self.base_url, self.artifacts = driver, base_url, artifacts

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait(self, condition: Callable[[WebDriver], T], what: str) -> T:
        return WebDriverWait(self.driver, WAIT_S, poll_frequency=0.05).until(
            condition, f"waited {WAIT_S:.0f} s for {what}"
        )

    def wait_for_total(self, total: int, what: str) -> None:
        """Until a loaded search page says `total` matches."""
        self.wait(
            lambda d: (
                d.execute_script(
                    "return document.readyState === 'complete' && "
                    "document.getElementById('total')?.textContent"
                )
                == str(total)
            ),
            f"{total} matches {what}",
        )

    def search_params(self) -> Any:
        """The query string as [name, value] pairs."""
        return self.js("return [...new URLSearchParams(location.search)]")

    def hit_ids(self) -> list[int]:
        links = self.driver.find_elements(By.CSS_SELECTOR, "li.hit h3 a")
        return [int(str(a.get_attribute("href")).rsplit("/", 1)[1]) for a in links]

    def direction(self, selector: str) -> Any:
        """The computed CSS `direction` of each element `selector` finds."""
        return self.js(
            "return [...document.querySelectorAll(arguments[0])]"
            ".map((el) => getComputedStyle(el).direction)",
            selector,
        )

    def screenshot(self, name: str) -> None:
        assert self.driver.save_screenshot(str(self.artifacts / name)), name


# --- the tests ---------------------------------------------------------------------------------


def test_typing_a_query_then_clicking_a_facet_narrows_the_results(browser: Browser) -> None:
    browser.open("/")
    browser.wait_for_total(8, "on the search page without a query")
    box = browser.driver.find_element(By.ID, "q")
    box.send_keys(QUERY)
    box.send_keys(Keys.ENTER)
    browser.wait_for_total(4, f"for {QUERY!r}")
    browser.screenshot("search.png")
    # Typed on the front page (newest first), the query is still ranked by relevance.
    params = browser.search_params()
    assert ["q", QUERY] in params and ["sort", "relevance"] in params, params
    assert browser.driver.find_element(By.ID, "q").get_attribute("value") == QUERY
    marks = [m.text.lower() for m in browser.driver.find_elements(By.CSS_SELECTOR, "mark")]
    assert "flutterwave" in marks and "القاهرة" in marks

    # static/enhance.js: ticking "one per story" re-runs the search with no button pressed.
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=collapse]").click()
    browser.wait_for_total(2, "once collapsed to one article per story")
    assert ["collapse", "1"] in browser.search_params()
    browser.screenshot("search-collapsed.png")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=collapse]").click()
    browser.wait_for_total(4, "once no longer collapsed")

    facet = browser.driver.find_element(By.CSS_SELECTOR, "aside.facets [data-facet=language]")
    values = {a.text: a for a in facet.find_elements(By.TAG_NAME, "a")}
    assert set(values) == {"en", "ar"}
    values["ar"].click()
    browser.wait_for_total(1, "once the language facet 'ar' is on")
    browser.screenshot("facet.png")
    params = browser.search_params()
    assert ["lang", "ar"] in params and ["q", QUERY] in params, params
    active = browser.driver.find_elements(By.CSS_SELECTOR, "[data-facet=language] li.active a")
    assert [a.text for a in active] == ["ar"]
    hits = browser.driver.find_elements(By.CSS_SELECTOR, "li.hit h3 a")
    assert [a.text for a in hits] == [ARABIC_TITLE]

    # A second click on the active value removes it again.
    active[0].click()
    browser.wait_for_total(4, "once the language facet is off again")
    assert ["lang", "ar"] not in browser.search_params()


def test_arabic_is_laid_out_right_to_left_and_english_left_to_right(browser: Browser) -> None:
    browser.open("/?lang=ar")
    browser.wait_for_total(1, "in Arabic")
    assert browser.direction("li.hit h3 a") == ["rtl"]
    assert browser.direction("li.hit .snippet") == ["rtl"]
    browser.driver.find_element(By.LINK_TEXT, ARABIC_TITLE).click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#body p"), "the Arabic article")
    browser.screenshot("article-ar.png")
    title = browser.driver.find_element(By.TAG_NAME, "h1")
    assert title.text == ARABIC_TITLE
    assert browser.direction("h1") == ["rtl"]
    assert browser.direction("#body p") == ["rtl", "rtl"]
    assert browser.direction(".author .names, .author .bio") == ["rtl", "rtl"]
    assert browser.js("return document.querySelector('article').lang") == "ar"
    assert set(browser.direction("dl.facts dt")) == {"ltr"}  # the English labels stay so

    browser.open("/?lang=en&sort=date")
    browser.wait_for_total(3, "in English")
    browser.driver.find_element(By.LINK_TEXT, "Flutterwave signs a telecom deal").click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#body p"), "the English article")
    browser.screenshot("article-en.png")
    assert browser.direction("h1") == ["ltr"]
    assert set(browser.direction("#body p")) == {"ltr"}
    assert set(browser.direction("#body")) == {"ltr"}


def _downloaded(folder: Path, suffix: str) -> Path:
    """The finished download named *`suffix` in `folder`.

    Chromium reserves the final name with an empty placeholder while it writes
    `*.crdownload`, then renames that over it: a download is finished when no
    `.crdownload` is left and the file under its own name holds bytes.
    """
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        done = sorted(folder.glob(f"sankofa-*{suffix}"))
        writing = list(folder.glob("*.crdownload"))
        if done and not writing and done[0].stat().st_size > 0:
            assert len(done) == 1, done
            return done[0]
        time.sleep(0.05)
    pytest.fail(f"no {suffix} download in {folder} after {WAIT_S:.0f} s: {os.listdir(folder)}")


def test_the_download_links_save_the_search_as_jsonl_csv_and_parquet(
    browser: Browser, downloads: Path
) -> None:
    browser.open("/")
    box = browser.driver.find_element(By.ID, "q")
    box.send_keys(QUERY, Keys.ENTER)
    browser.wait_for_total(4, f"for {QUERY!r}")
    expected = sorted(browser.hit_ids())
    assert len(expected) == 4
    links = {a.text: a for a in browser.driver.find_elements(By.CSS_SELECTOR, "a.download")}
    assert set(links) == {"JSONL", "CSV", "Parquet"}

    links["JSONL"].click()
    jsonl = _downloaded(downloads, ".jsonl")
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == expected
    assert ARABIC_TITLE in {row["title"] for row in rows}  # UTF-8 end to end
    assert {row["language"] for row in rows} == {"en", "ar"}

    links["CSV"].click()
    with _downloaded(downloads, ".csv").open(encoding="utf-8", newline="") as file:
        records = list(csv.DictReader(file))
    assert [int(r["id"]) for r in records] == expected
    assert ARABIC_TITLE in {r["title"] for r in records}

    links["Parquet"].click()
    table = pq.read_table(_downloaded(downloads, ".parquet"))
    assert table.column("id").to_pylist() == expected
    browser.screenshot("downloads.png")
    assert browser.js("return location.pathname + location.search").startswith("/?q=")


_INJECTED_DOM: Final = """
    const ours = (s) => s.getAttribute('src') === '/static/enhance.js';
    return {
      pwned: typeof window.__pwned,
      scripts: [...document.scripts].filter((s) => !ours(s)).map((s) => s.outerHTML),
      images: [...document.images].map((i) => i.outerHTML),
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]
        .filter((a) => a.name.startsWith('on')).map((a) => el.tagName + ' ' + a.name)),
      javascript_links: [...document.querySelectorAll('[href]')]
        .map((el) => el.getAttribute('href')).filter((h) => /^\\s*javascript:/i.test(h)),
    };
"""


def _assert_nothing_injected(browser: Browser, where: str) -> None:
    found = browser.js(_INJECTED_DOM)
    assert found == {"pwned": "undefined", "scripts": [], "images": [], "handlers": [],
                     "javascript_links": []}, f"{where}: {found}"  # fmt: skip


def test_no_stored_xss_payload_runs_or_reaches_the_dom(browser: Browser) -> None:
    browser.open("/")
    browser.wait_for_total(8, "on the search page without a query")
    _assert_nothing_injected(browser, "the search page")
    browser.screenshot("xss-search.png")

    # The hostile source's facet value leads to its search results...
    source = browser.driver.find_element(By.CSS_SELECTOR, "aside.facets [data-facet=source]")
    hostile = [a for a in source.find_elements(By.TAG_NAME, "a") if "<img" in a.text]
    assert [a.text for a in hostile] == [HOSTILE_SOURCE]
    hostile[0].click()
    browser.wait_for_total(1, "from the hostile source")
    assert ["source", HOSTILE_SOURCE] in browser.search_params()
    _assert_nothing_injected(browser, "the hostile source's results")
    browser.screenshot("xss-results.png")

    # ... and to its article, whose title, body, authors, tags and URL carry the payloads.
    browser.driver.find_element(By.CSS_SELECTOR, "li.hit h3 a").click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#body p"), "the hostile article")
    assert browser.driver.find_element(By.TAG_NAME, "h1").text.startswith("Pwned <script>")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "a.original") == []  # javascript: URL
    for element in browser.driver.find_elements(By.CSS_SELECTOR, "h1, #body p, .bio"):
        browser.driver.execute_script("arguments[0].scrollIntoView()", element)
        webdriver.ActionChains(browser.driver).move_to_element(element).perform()  # onmouseover
    _assert_nothing_injected(browser, "the hostile article")
    browser.screenshot("xss-article.png")

    # A search whose snippet holds the payloads, with our <mark> around the match.
    browser.open("/?q=pwned")
    browser.wait_for_total(1, "for 'pwned'")
    _assert_nothing_injected(browser, "the search for 'pwned'")
    browser.screenshot("xss-snippet.png")


def test_the_other_pages_render_cleanly_with_the_hostile_source_on_them(browser: Browser) -> None:
    for path, heading in (("/sources", "Sources"), ("/runs", "Crawl runs"), ("/charts", "Volumes")):
        browser.open(path)
        assert browser.driver.find_element(By.TAG_NAME, "h1").text == heading
        _assert_nothing_injected(browser, path)
        browser.screenshot(f"{path.strip('/')}.png")
    browser.open("/sources")
    names = [a.text for a in browser.driver.find_elements(By.CSS_SELECTOR, "table.sources td a")]
    assert HOSTILE_SOURCE in names  # as text; its javascript: home page is no link
