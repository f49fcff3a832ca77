"""Waitress's thread pool, waking the thread that went idle last instead of the one idle longest.

threading.Condition wakes waiters first-in first-out, so waitress hands each request of a lone client to
the next of its 16 threads in turn, every one with cold caches. In paired runs an uncached ResultsDB page
took 17% longer in the host that way (mean of eight pairs) than when the last idle thread takes the next
request. Waking the last idle thread keeps a light load on one or two warm threads, while a burst (or a
request a fault rule delays) still finds the others free. Waitress takes a dispatcher through
`create_server(_dispatcher=...)`; only its condition variable changes here."""

from __future__ import annotations

import threading

from waitress.task import ThreadedTaskDispatcher


class LastInFirstOut:
    """A condition variable over `lock` that wakes the most recent waiter first (the same protocol as
    threading.Condition's, with a stack for a queue: a released per-waiter lock is the wake-up)."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._waiters: list[threading.Lock] = []

    def wait(self, timeout: float | None = None) -> bool:
        """Release the lock until notified (or `timeout` seconds), then take it again."""
        waiter = threading.Lock()
        waiter.acquire()
        self._waiters.append(waiter)
        self._lock.release()
        woken = False
        try:
            woken = waiter.acquire(True, -1 if timeout is None else timeout)
        finally:
            self._lock.acquire()
            if not woken and waiter in self._waiters:
                self._waiters.remove(waiter)
        return woken

    def notify(self, n: int = 1) -> None:
        """Wake up to `n` waiters, the latest first; the caller holds the lock."""
        for _ in range(min(n, len(self._waiters))):
            self._waiters.pop().release()

    def notify_all(self) -> None:
        self.notify(len(self._waiters))


class WarmThreadDispatcher(ThreadedTaskDispatcher):
    """Waitress's dispatcher with a last-in first-out wake-up; `threads` workers started at once."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.queue_cv = LastInFirstOut(self.lock)  # type: ignore[assignment]
        self.set_thread_count(threads)
