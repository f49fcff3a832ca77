"""The host's waitress dispatcher: one request after another runs on the same warm thread, requests at
the same time still get threads of their own, and it shuts down like waitress's own."""

from __future__ import annotations

import threading
import time

from stagingqa.mocks.dispatch import LastInFirstOut, WarmThreadDispatcher


class Task:
    """What waitress hands a dispatcher: something to service (here: note the thread, maybe wait)."""

    def __init__(self, together: threading.Barrier | None = None) -> None:
        self.together = together
        self.thread: int | None = None
        self.done = threading.Event()

    def service(self) -> None:
        self.thread = threading.get_ident()
        if self.together is not None:
            self.together.wait(10)  # broken unless every task of the burst runs at the same time
        self.done.set()

    def cancel(self) -> None:
        self.done.set()


def wait_until_idle(dispatcher: WarmThreadDispatcher) -> None:
    """Until every thread waits again (a task is done a moment before its thread goes back to wait)."""
    deadline = time.monotonic() + 10
    while dispatcher.active_count and time.monotonic() < deadline:
        time.sleep(0.001)


def test_requests_one_after_another_run_on_one_thread_and_a_burst_on_several():
    dispatcher = WarmThreadDispatcher(8)
    try:
        sequential = []
        wait_until_idle(dispatcher)  # every thread started and waiting
        for _ in range(20):
            task = Task()
            dispatcher.add_task(task)
            assert task.done.wait(10)
            sequential.append(task.thread)
            wait_until_idle(dispatcher)
        assert len(set(sequential)) == 1  # waitress's own dispatcher would go round all eight
        together = threading.Barrier(5)
        burst = [Task(together) for _ in range(5)]
        for task in burst:
            dispatcher.add_task(task)
        assert all(task.done.wait(10) for task in burst) and not together.broken
        assert len({task.thread for task in burst}) == 5
    finally:
        dispatcher.shutdown()
    assert dispatcher.threads == set()


def test_the_condition_wakes_the_latest_waiter_and_times_out():
    lock = threading.Lock()
    condition = LastInFirstOut(lock)
    woken: list[str] = []
    ready = threading.Semaphore(0)

    def waiter(name: str) -> None:
        with lock:
            ready.release()
            condition.wait()
            woken.append(name)

    first = threading.Thread(target=waiter, args=("first",))
    first.start()
    ready.acquire()
    second = threading.Thread(target=waiter, args=("second",))
    second.start()
    ready.acquire()
    with lock:
        condition.notify()
    second.join(10)
    with lock:
        condition.notify_all()
    first.join(10)
    assert woken == ["second", "first"]
    with lock:
        assert condition.wait(0.01) is False  # nobody notifies: the lock is held again, and no waiter is left
        condition.notify()
