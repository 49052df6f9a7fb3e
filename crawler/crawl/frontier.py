"""A crawl frontier shared by several `sankofa crawl` processes: scrapy-redis on Redis.

Every worker runs the same command with ``--frontier redis://HOST:PORT/DB``. scrapy-redis keeps
the request queue (a sorted set, by priority) and the duplicate filter (a set of request
fingerprints) in Redis, so each URL is fetched once in total, whichever worker found it.
Seeds (robots.txt, feeds, sitemaps, home pages) go through the same scheduler: the first
worker enqueues them and the other workers' copies are filtered as duplicates.

What scrapy-redis leaves open, and this module adds:

* Leases. scrapy-redis pops a request out of Redis; if its worker then dies the request is
  gone, and as its fingerprint stays in the filter nobody fetches it again. Here a pop moves
  the request, atomically, into the worker's lease set, which it leaves only when Scrapy is
  done with it (downloaded, parsed, its links queued and its items stored). Workers beat a
  heartbeat; the leases of a worker whose heartbeat stops go back to the queue.
* Idling. A worker whose queue is empty waits while another one holds leases (its pages may
  yield more links), and exits once the whole frontier has stayed quiet for a few seconds.
* Starting afresh. Queue and filter persist when workers stop (SCHEDULER_PERSIST), so a
  restarted worker resumes; the first worker of a new crawl (nothing queued, leased or
  running) clears the filter, as does the last worker of a finished one.
* Queuing in one step. scrapy-redis adds a request's fingerprint to the filter, then queues
  the request, in two commands: a worker killed in between leaves a URL that is filtered yet
  never queued, which nobody fetches (a sitemap queues hundreds at once, so a kill often
  landed there). Here one script does both.

Still lost when a worker dies: nothing the frontier holds; everything, if Redis itself loses
its data. redis and scrapy-redis are imported only when a frontier is used: without
``--frontier`` nothing needs them.
"""

from __future__ import annotations

import os
import re
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from twisted.internet import task

KEY_PREFIX = "sankofa:%(spider)s"
EXAMPLE_URL = "redis://127.0.0.1:6379/0"
WORKER_TIMEOUT = 30.0  # seconds without a heartbeat after which a worker is presumed dead
IDLE_CLOSE = 3.0  # seconds the whole frontier must stay quiet before an idle worker exits
HEARTBEAT = 1.0  # seconds between heartbeats (also how often finished leases are released)
MAX_LEASES = 32  # requests a worker holds at once; the rest stay in the queue for the others

# Pop the best request and lease it to a worker in one step, so no death can fall between.
_LEASE = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[2], top[2], top[1])
return top[1]
"""
# Put a worker's leases back into the queue (same scores), unless it is alive (ARGV[1] = 0).
_RETURN = """
if ARGV[1] == '0' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local leased = redis.call('ZCARD', KEYS[2])
if leased > 0 then
  redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN')
  redis.call('DEL', KEYS[2])
end
return leased
"""
# Filter and queue a request in one step (ARGV[1] = '': a dont_filter request, never filtered).
_ENQUEUE = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# Put one leased request back in the queue, with the score it was leased with.
_GIVE_BACK = """
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[1])
return 1
"""


class FrontierError(Exception):
    """A frontier URL that is invalid or unreachable: one line, for the command line."""


def frontier_settings(url: str) -> dict[str, Any]:
    """Scrapy settings that put this crawl's queue and duplicate filter on Redis at ``url``."""
    return {
        "SCHEDULER": "crawler.crawl.frontier.FrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{KEY_PREFIX}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{KEY_PREFIX}:dupefilter",
        "SCHEDULER_PERSIST": True,  # one worker stopping must not wipe what the others share
        "REDIS_URL": url,
        # Workers of one frontier crawl the same sources together: the frontier, not the
        # database's per-source lock, keeps them from fetching a page twice.
        "SANKOFA_SOURCE_LOCKS": False,
        "SANKOFA_FRONTIER_WORKER_TIMEOUT": WORKER_TIMEOUT,
        "SANKOFA_FRONTIER_IDLE_CLOSE": IDLE_CLOSE,
        "SANKOFA_FRONTIER_MAX_LEASES": MAX_LEASES,
    }


def masked_url(url: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def check_frontier(url: str) -> None:
    """Raise FrontierError unless ``url`` names a Redis database that answers."""
    try:
        import redis
        import scrapy_redis  # type: ignore[import-untyped]  # noqa: F401 - needed by the crawl
    except ImportError as error:
        raise FrontierError(
            f"--frontier needs scrapy-redis ({error}); install it: pip install 'sankofa[redis]'"
        ) from error
    client = _client(url, redis)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = str(error).splitlines()[0].rstrip(".") if str(error) else type(error).__name__
        raise FrontierError(
            f"cannot reach the crawl frontier at {masked_url(url)}: {reason}; check that "
            "redis-server runs there and accepts connections (redis-cli -u URL ping)"
        ) from error
    finally:
        client.close()


def _client(url: str, redis: Any) -> Any:
    invalid = f"invalid frontier URL '{masked_url(url)}'"
    # redis-py silently ignores a database that is not a number: refuse it instead.
    if not re.fullmatch(r"(rediss?://[^/]*(/\d*)?|unix://\S+)", url):
        raise FrontierError(f"{invalid}: expected redis://HOST:PORT/DB, e.g. {EXAMPLE_URL}")
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    except ValueError as error:
        raise FrontierError(f"{invalid}: {error}; expected e.g. {EXAMPLE_URL}") from error


@dataclass(frozen=True)
class FrontierKeys:
    """The Redis keys of one spider's frontier (the queue and filter keys are scrapy-redis's)."""

    prefix: str

    @property
    def queue(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:dupefilter"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    @property
    def lock(self) -> str:
        return f"{self.prefix}:lock"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def leases(self, worker: str) -> str:
        return f"{self.prefix}:leased:{worker}"


class Frontier:
    """One worker's view of the shared frontier: leases, heartbeat, joining and leaving."""

    def __init__(self, server: Any, keys: FrontierKeys, worker: str, timeout: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.timeout = timeout
        self._lease = server.register_script(_LEASE)
        self._return = server.register_script(_RETURN)
        self._give_back = server.register_script(_GIVE_BACK)
        self._enqueue = server.register_script(_ENQUEUE)

    def join(self) -> bool:
        """Register this worker; clear the filter first if no crawl is under way. Fresh?"""
        with self.server.lock(self.keys.lock, timeout=60, blocking_timeout=60):
            self.reclaim_dead()
            fresh = self._quiet()
            if fresh:
                self.server.delete(self.keys.dupefilter)
            self.beat()
        return fresh

    def leave(self, finished: bool) -> None:
        """Give back this worker's leases and unregister; the last one out clears the filter."""
        self._return(keys=self._return_keys(self.worker), args=[1])
        with self.server.lock(self.keys.lock, timeout=60, blocking_timeout=60):
            self.server.srem(self.keys.workers, self.worker)
            self.server.delete(self.keys.alive(self.worker))
            if finished and self._quiet():
                self.server.delete(self.keys.dupefilter)

    def beat(self) -> None:
        """Say this worker is alive for another `timeout` seconds."""
        # Alive first, then listed: a worker listed but not yet alive would look dead. Listed
        # again at every beat, in case a stall longer than `timeout` got it struck off.
        pipe = self.server.pipeline()
        pipe.set(self.keys.alive(self.worker), str(os.getpid()), px=int(self.timeout * 1000))
        pipe.sadd(self.keys.workers, self.worker)
        pipe.execute()

    def enqueue(self, fingerprint: str, score: float, member: bytes) -> bool:
        """Queue `member` unless `fingerprint` is already in the filter ("" = never filtered);
        whether it was queued."""
        keys = [self.keys.dupefilter, self.keys.queue]
        return bool(self._enqueue(keys=keys, args=[fingerprint, score, member]))

    def lease(self) -> bytes | None:
        member: bytes | None = self._lease(keys=[self.keys.queue, self.keys.leases(self.worker)])
        return member

    def give_back(self, member: bytes) -> None:
        """Return one leased request to the queue, untouched."""
        self._give_back(keys=[self.keys.queue, self.keys.leases(self.worker)], args=[member])

    def release(self, members: Iterable[bytes]) -> None:
        """Forget leases whose requests are done."""
        done = list(members)
        if done:
            self.server.zrem(self.keys.leases(self.worker), *done)

    def reclaim_dead(self) -> int:
        """Put the leases of workers whose heartbeat stopped back in the queue; how many."""
        reclaimed = 0
        for worker in self._other_workers():
            reclaimed += int(self._return(keys=self._return_keys(worker), args=[0]))
            # Forgotten only once dead AND its leases are back: its heartbeat may expire
            # between the return above and this check, and a worker forgotten with leases
            # left would strand them (seen as a leftover lease in the kill test).
            dead = not self.server.exists(self.keys.alive(worker))
            if dead and not self.server.zcard(self.keys.leases(worker)):
                self.server.srem(self.keys.workers, worker)
        return reclaimed

    def busy(self) -> bool:
        """Is anything queued, or leased by another worker (whose pages may yield links)?"""
        if self.server.zcard(self.keys.queue):
            return True
        return any(self.server.zcard(self.keys.leases(w)) for w in self._other_workers())

    def _quiet(self) -> bool:
        """Nothing queued or leased and no other worker alive: no crawl is under way."""
        if self.busy():
            return False
        return not any(self.server.exists(self.keys.alive(w)) for w in self._other_workers())

    def _other_workers(self) -> list[str]:
        members = self.server.smembers(self.keys.workers)
        names = (m.decode() if isinstance(m, bytes) else str(m) for m in members)
        return sorted(name for name in names if name != self.worker)

    def _return_keys(self, worker: str) -> list[str]:
        return [self.keys.queue, self.keys.leases(worker), self.keys.alive(worker)]


def worker_name() -> str:
    """Unique per process, and readable in redis-cli: host, pid and a random suffix."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class FrontierScheduler(BaseScheduler):
    """scrapy-redis's scheduler (queue, filter, request encoding) with leases and idling.

    Composed rather than subclassed, so that importing this module does not need Redis.
    """

    def __init__(self, crawler: Any, redis_scheduler: Any) -> None:
        self.crawler = crawler
        self.redis = redis_scheduler
        settings = crawler.settings
        self.timeout: float = settings.getfloat("SANKOFA_FRONTIER_WORKER_TIMEOUT", WORKER_TIMEOUT)
        self.idle_close: float = settings.getfloat("SANKOFA_FRONTIER_IDLE_CLOSE", IDLE_CLOSE)
        self.max_leases: int = settings.getint("SANKOFA_FRONTIER_MAX_LEASES", MAX_LEASES)
        self.budget: int = settings.getint("SANKOFA_MAX_PAGES")  # --max-pages, per worker
        self.obeys_robots: bool = settings.getbool("ROBOTSTXT_OBEY")
        self.handed_out = 0
        self.sites: set[str] = set()  # hosts this worker has requested (robots.txt fetched)
        self.budget_spent = False
        self.leases: dict[Request, bytes] = {}
        self.quiet_since: float | None = None
        self.heartbeat = task.LoopingCall(self._heartbeat)
        self.frontier: Frontier | None = None
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierScheduler:
        from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]

        redis_scheduler = Scheduler.from_crawler(crawler)
        # Its counters pass Scrapy 2.19's deprecated `spider` argument; we count ourselves.
        redis_scheduler.stats = None
        return cls(crawler, redis_scheduler)

    def open(self, spider: Any) -> None:
        _open_redis_scheduler(self.redis, spider)
        keys = FrontierKeys(KEY_PREFIX % {"spider": spider.name})
        self.frontier = Frontier(self.redis.server, keys, worker_name(), self.timeout)
        fresh = self.frontier.join()
        spider.logger.info(
            "frontier %s: worker %s joined %s (%d requests queued)", keys.prefix,
            self.frontier.worker, "a new crawl" if fresh else "a crawl under way",
            len(self.redis.queue),
        )  # fmt: skip
        self.heartbeat.start(min(HEARTBEAT, self.timeout / 3), now=False)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        if self.frontier is not None:
            self._release_finished()
            self.frontier.leave(finished=reason == "finished")
        self.redis.close(reason)

    def has_pending_requests(self) -> bool:
        return not self.budget_spent and bool(self.redis.has_pending_requests())

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's enqueue_request (its filter, its encoding, its priority order), with
        the filter and the queue written in one step."""
        assert self.frontier is not None
        dupefilter = self.redis.df
        fingerprint = "" if request.dont_filter else dupefilter.request_fingerprint(request)
        member = self.redis.queue._encode_request(request)
        if not self.frontier.enqueue(fingerprint, -request.priority, member):
            dupefilter.log(request, self.crawler.spider)
            return False
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.frontier is None or self.budget_spent or not self._lease_room():
            return None
        member = self.frontier.lease()
        if member is None:
            return None
        # scrapy-redis's own decoding, so requests read back exactly as it wrote them.
        request: Request = self.redis.queue._decode_request(member)
        if not self._within_budget(request):
            self.frontier.give_back(member)
            return None
        self.leases[request] = member
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _lease_room(self) -> bool:
        """May this worker take one more request? Scrapy would otherwise pull hundreds while
        its extraction catches up, starving the other workers and making a death costly."""
        if len(self.leases) >= self.max_leases:
            self._release_finished()
        return len(self.leases) < self.max_leases

    def _within_budget(self, request: Request) -> bool:
        """--max-pages N: hand out requests only while the N pages cannot be exceeded.

        PageBudget (crawler/crawl/middlewares.py) refuses requests past N, counting also the
        robots.txt that Scrapy fetches once per site; a request refused there would be
        lost to the shared crawl, so this worker stops taking requests before that.
        """
        host = urlsplit(request.url).netloc
        cost = 1 + (self.obeys_robots and host not in self.sites)
        if self.budget and self.handed_out + cost > self.budget:
            self.budget_spent = True
            return False
        self.handed_out += cost
        self.sites.add(host)
        return True

    def _heartbeat(self) -> None:
        assert self.frontier is not None
        try:
            self.frontier.beat()
            self._release_finished()
            self._reclaim()
        except Exception as error:  # e.g. Redis restarting: keep beating, don't stop the loop
            self.crawler.spider.logger.warning("frontier heartbeat failed: %s", error)
        _wake(self.crawler.engine)

    def _release_finished(self) -> None:
        active = _requests_in_progress(self.crawler.engine)
        if active is None:  # cannot tell: keep every lease (at worst a page is fetched twice)
            return
        done = [request for request in self.leases if request not in active]
        assert self.frontier is not None
        self.frontier.release([self.leases.pop(request) for request in done])

    def _reclaim(self) -> int:
        assert self.frontier is not None
        reclaimed = self.frontier.reclaim_dead()
        if reclaimed:
            self.crawler.stats.inc_value("sankofa/frontier_reclaimed", reclaimed)
            self.crawler.spider.logger.warning(
                "frontier: %d requests of a stopped worker put back in the queue", reclaimed
            )
        return reclaimed

    def _on_idle(self, spider: Any) -> None:
        """Nothing to do here: wait while other workers may still queue work, else finish."""
        if self.frontier is None or self.budget_spent:
            return
        self._release_finished()
        if self._reclaim() or self.frontier.busy():
            self.quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.quiet_since = self.quiet_since or now
        if now - self.quiet_since < self.idle_close:
            raise DontCloseSpider


def _open_redis_scheduler(scheduler: Any, spider: Any) -> None:
    """scrapy_redis.scheduler.Scheduler.open() without its Spider.log() call, which Scrapy
    2.19 deprecates: the queue and the duplicate filter, under scrapy-redis's own keys."""
    from scrapy.utils.misc import load_object

    scheduler.spider = spider
    scheduler.queue = load_object(scheduler.queue_cls)(
        server=scheduler.server,
        spider=spider,
        key=scheduler.queue_key % {"spider": spider.name},
        serializer=scheduler.serializer,
    )
    if not scheduler.df:
        scheduler.df = load_object(scheduler.dupefilter_cls).from_spider(spider)


# Two reads of Scrapy's engine internals (the same ones scrapy.utils.engine's status report
# reads), kept here so that a Scrapy upgrade that moves them breaks in one place.
def _requests_in_progress(engine: Any) -> set[Request] | None:
    """Requests the engine has taken from the scheduler and not finished with yet: a request
    stays there until its callback has run and the items it yielded went through every
    pipeline. None when the engine has no slot (not running)."""
    slot = getattr(engine, "_slot", None)
    return set(slot.inprogress) if slot is not None else None


def _wake(engine: Any) -> None:
    """Make the engine look at the queue now rather than at its next 5-second heartbeat:
    other workers fill the shared queue without telling this engine."""
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()
