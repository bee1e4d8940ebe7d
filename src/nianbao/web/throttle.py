"""A modest brake on password guessing: after ``limit`` failed logins within ``window`` seconds
for one key (a user name, an address), that key waits until the oldest failure is ``window`` old.
Kept in memory: a restart forgets it, which a guesser cannot cause from outside."""

from __future__ import annotations

import time
from collections import deque
from threading import Lock

USER_LIMIT, ADDRESS_LIMIT, WINDOW = 5, 20, 15 * 60


class Throttle:
    def __init__(self, window: float = WINDOW) -> None:
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def wait(self, key: str, limit: int) -> float:
        """Seconds ``key`` must wait before trying again (0: it may try now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(key)
            while failures and now - failures[0] >= self.window:
                failures.popleft()
            if not failures:
                self._failures.pop(key, None)
                return 0.0
            if len(failures) < limit:
                return 0.0
            return self.window - (now - failures[0])

    def fail(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, deque()).append(time.monotonic())

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
