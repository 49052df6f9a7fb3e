"""Scrapy settings. Read top to bottom, this is the data flow of docs/architecture.md.

Our own settings are prefixed SANKOFA_; the `sankofa` CLI overrides them per run.
"""

from crawler import __version__

BOT_NAME = "sankofa"
SPIDER_MODULES = ["crawler.crawl.spider"]
NEWSPIDER_MODULE = "crawler.crawl"

# --- Who we are, and how politely we ask --------------------------------------------------
SANKOFA_CONTACT_URL = "https://github.com/sankofa-corpus/sankofa"  # shown in the User-Agent


def user_agent_for(contact_url: str) -> str:
    return f"Sankofa/{__version__} (+{contact_url}; research news crawler)"


USER_AGENT = user_agent_for(SANKOFA_CONTACT_URL)  # -s SANKOFA_CONTACT_URL=... rebuilds it
ROBOTSTXT_OBEY = True  # Protego: honours * and $ wildcards, per origin
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio tasks for every response's output; an article page yields
# one item, a listing a few hundred requests that take no time: 100 (the default) only
# costs the reactor ~100 task creations per page (benchmarks.throughput's profile).
CONCURRENT_ITEMS = 16
# Bytes of responses the scraper holds while their items wait for the extraction workers
# (Scrapy's default is 5 MB). Two workers need only a few pages queued, and every page held
# also holds its item: benchmarks.throughput, N = 2,000, crawl process 144 -> 132 MB at the
# same 155-159 articles/s.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # a news page is never this large; a video is
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False  # no listening consoles on a research machine
REMOTE_CONTROL_ENABLED = False
# A check for spider authors: Scrapy reads a callback's source (inspect, ast) whenever its
# cache of them misses, 3% of the reactor's time in a profiled crawl; our tests cover ours.
WARN_ON_GENERATOR_RETURN_VALUE = False
HTTPCACHE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.crawl.logformat.QuietLogFormatter"  # never log page bodies

# --- What we crawl (overridden by the CLI) --------------------------------------------------
SANKOFA_SOURCES_FILE = ""  # "" = the bundled crawler/sources.toml
SANKOFA_SOURCE_NAMES: list[str] = []  # [] = every enabled source
SANKOFA_DB_URL = ""  # "" = storage.db.default_url() ($SANKOFA_DB or the XDG data dir)
SANKOFA_MAX_PAGES = 0  # --max-pages: at most this many requests (0 = no limit)
SANKOFA_SINCE = ""  # ISO date: skip articles published before it
# Per source: home, pagination and category pages followed. Generous: the whole archive of a
# large blog; with --since, pagination stops earlier, at the first page of older items.
SANKOFA_MAX_LISTING_PAGES = 2000
SANKOFA_MAX_FEED_PAGES = 1000  # per source: older pages of paged (RFC 5005) feeds followed
SANKOFA_ARTICLE_HOPS = 2  # article -> article links followed from a listing, feed or sitemap
SANKOFA_SITEMAP_MAX_DEPTH = 4  # sitemap indexes followed below a seed sitemap (real sites: 1-2)
SANKOFA_MAX_SITEMAPS = 5000  # per source: a daily sitemap for 13 years fits
SANKOFA_EXTRACT_WORKERS = 0  # processes for extraction and language; 0 = one per CPU
SANKOFA_INLINE_STAGES = False  # run extraction in the reactor process (debugging, profiling)
SANKOFA_SOURCE_LOCKS = True  # a source is crawled by one run at a time (lease in the DB)
SANKOFA_REFRESH = False  # --refresh: fetch stored articles again, ignore conditional GET
SANKOFA_REVISIT_AFTER = ["1d", "7d"]  # re-check articles this long after first seeing them
SANKOFA_KEEP_COMMENTS = False  # --keep-comments: reader comments into their own table
SANKOFA_KEEP_RAW_HTML = True  # keep each article's response (gzip) for re-extraction and WARC
SANKOFA_PROGRESS = False  # live progress line on stderr (the CLI turns it on)
SANKOFA_PROGRESS_INTERVAL = 0.0  # seconds; 0 = every second on a terminal, else every 10 s

# --- Data flow: FetchedPage -> process (extract + language) -> since -> dedupe -> store ------
ITEM_PIPELINES = {
    "crawler.crawl.pipelines.ProcessPipeline": 100,
    "crawler.crawl.pipelines.SincePipeline": 200,
    "crawler.crawl.pipelines.DedupePipeline": 400,
    "crawler.crawl.pipelines.StorePipeline": 500,
}
DOWNLOADER_MIDDLEWARES = {
    # After RobotsTxtMiddleware (100): a request robots.txt forbids costs no page.
    "crawler.crawl.middlewares.PageBudget": 110,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.crawl.middlewares.LoopAwareRedirect": 600,  # where Scrapy's own one sits
}
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "crawler.crawl.middlewares.CountedUrlLength": 800,
}
EXTENSIONS = {
    "crawler.crawl.extensions.RunRecorder": 100,
    "crawler.crawl.extensions.ProgressReporter": 200,
}
