"""Buildbot's own event stream (its web socket), for the benchmarks: when a build starts and a step ends,
timed as the master announces them. Polling its REST API every half second read them up to half a second
late (a quarter on average) and cost the master CPU the builds it timed were short of."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from stagingqa.master.settings import Settings

PATHS = ("builds/*/new", "builds/*/steps/*/finished")


class BuildEvents:
    """Every build start and step end of a master, with the time each arrived (time.perf_counter)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.www_url.replace("http://", "ws://", 1) + "ws"
        self.arrived: queue.Queue[tuple[float, str, dict[str, Any]]] = queue.Queue()
        self.consuming = threading.Event()
        self.failure: BaseException | None = None
        threading.Thread(target=self._run, daemon=True).start()  # it ends when the master stops
        if not self.consuming.wait(30):
            raise RuntimeError(f"no answer from Buildbot's web socket at {self.url}: {self.failure}")

    def _run(self) -> None:
        try:
            asyncio.run(self._listen())
        except BaseException as exc:  # reported by the waits
            self.failure = exc

    async def _listen(self) -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(self.url) as socket:
            for n, path in enumerate(PATHS):
                await socket.send_json({"cmd": "startConsuming", "path": path, "_id": n})
            acknowledged = 0
            async for frame in socket:
                now = time.perf_counter()
                message = json.loads(frame.data)
                if "k" in message:
                    self.arrived.put((now, message["k"], message["m"]))
                elif message.get("code") == 200:
                    acknowledged += 1
                    if acknowledged == len(PATHS):
                        self.consuming.set()
                else:
                    raise RuntimeError(f"Buildbot's web socket refused: {message}")

    def wait(self, wanted: Callable[[str, dict[str, Any]], bool], timeout: float = 600) -> dict[str, Any]:
        """The first event from now on that `wanted` accepts, with its arrival time as `_at`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, key, message = self.arrived.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"no such event in {timeout} s (socket: {self.failure})") from None
            if wanted(key, message):
                return {**message, "_at": at}
