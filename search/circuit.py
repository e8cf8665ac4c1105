"""A circuit breaker for the search engine, with its state in Django's cache.

When Elasticsearch stops answering, each request would otherwise wait for the timeout before
falling back to the database. After `LOTSE_SEARCH_BREAKER_FAILURES` failures in a row the
breaker opens for `LOTSE_SEARCH_BREAKER_SECONDS`; requests then go straight to the database.
Afterwards one request at a time tries the engine again ("half-open") until one succeeds.

The state lives in the cache named by `LOTSE_SEARCH_CACHE`, so every worker process that
shares that cache agrees on it (a file-based cache is shared by the processes of one machine,
Redis or Memcached by several machines).
"""

import time

from django.core.cache import caches

from lotse.conf import lotse_settings

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"
PREFIX = "lotse-search-breaker"


class CircuitBreaker:
    def __init__(self, cache=None, failures=None, seconds=None, prefix=PREFIX):
        self.cache = cache or caches[lotse_settings.LOTSE_SEARCH_CACHE]
        self.max_failures = failures or lotse_settings.LOTSE_SEARCH_BREAKER_FAILURES
        self.open_seconds = seconds or lotse_settings.LOTSE_SEARCH_BREAKER_SECONDS
        self.failures_key = f"{prefix}:failures"
        self.open_until_key = f"{prefix}:open-until"
        self.trial_key = f"{prefix}:trial"

    def state(self):
        open_until = self.cache.get(self.open_until_key)
        if open_until is None:
            return CLOSED
        return OPEN if time.time() < open_until else HALF_OPEN

    def allow(self):
        """May this request ask the engine? In half-open state only one request at a time."""
        state = self.state()
        if state == CLOSED:
            return True
        if state == OPEN:
            return False
        # `add` is atomic in every cache backend: exactly one worker wins the trial.
        return self.cache.add(self.trial_key, 1, timeout=max(self.open_seconds, 1))

    def record_success(self):
        self.cache.delete_many([self.failures_key, self.open_until_key, self.trial_key])

    def record_failure(self):
        if self.state() != CLOSED:
            self.trip()
            return
        self.cache.add(self.failures_key, 0, timeout=None)
        try:
            failures = self.cache.incr(self.failures_key)
        except ValueError:  # evicted between add and incr
            failures = 1
            self.cache.set(self.failures_key, failures, timeout=None)
        if failures >= self.max_failures:
            self.trip()

    def trip(self):
        """Open the breaker now (also after a failed trial in half-open state)."""
        self.cache.set(self.open_until_key, time.time() + self.open_seconds, timeout=None)
        self.cache.delete_many([self.failures_key, self.trial_key])

    def reset(self):
        self.record_success()

    def describe(self):
        """State and failure count for the health endpoint."""
        return {"state": self.state(), "failures": self.cache.get(self.failures_key) or 0}
