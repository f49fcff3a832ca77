"""The master's REST API read by the manager: an answer cut short (IncompleteRead, seen on a busy
machine) is read again; one that never comes whole is a clear error, not a traceback."""

from __future__ import annotations

import socket
import threading

import pytest

from stagingqa.errors import ServiceFailed
from stagingqa.master.control import rest
from stagingqa.master.settings import Settings

WHOLE = b'{"builders": [{"builderid": 1}]}'


def serve(cut_first: int) -> tuple[int, list[int]]:
    """A server on 127.0.0.1 that cuts its first `cut_first` answers short, then answers whole."""
    listener = socket.create_server(("127.0.0.1", 0))
    served: list[int] = []

    def loop() -> None:
        while True:
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                cut = len(served) < cut_first
                served.append(1)
                body = WHOLE[:10] if cut else WHOLE
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(WHOLE)}\r\n\r\n"  # promises all of it
                conn.sendall(head.encode() + body)

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1], served


def test_an_answer_cut_short_is_read_again():
    port, served = serve(cut_first=1)
    assert rest(Settings(www_port=port), "builders") == {"builders": [{"builderid": 1}]}
    assert len(served) == 2


def test_an_answer_never_whole_is_a_clear_error():
    port, _ = serve(cut_first=99)
    with pytest.raises(ServiceFailed, match=r"does not answer builders \(IncompleteRead.*tried 3 times\)"):
        rest(Settings(www_port=port), "builders")
