"""The wire's publisher to Pushpin's publish endpoint: a Pushpin that does not answer fails the publish in time
instead of holding the stream's listener for ever."""

from __future__ import annotations

import socket

import pytest

from wireroom.api import grip


def test_a_publish_pushpin_never_answers_fails_after_the_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        port = silent.getsockname()[1]
        publisher = grip.Publisher(f"http://127.0.0.1:{port}", timeout=0.5)
        with pytest.raises(grip.PublishFailed, match="TimeoutError"):
            publisher.post([{"channel": "wireroom-x", "id": "1", "prev-id": "0",
                             "formats": {"http-stream": {"content": "id: 1\n\n"}}}])


def test_a_publish_to_a_closed_port_fails_with_a_clear_reason() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    publisher = grip.Publisher(f"http://127.0.0.1:{port}", timeout=0.5)
    with pytest.raises(grip.PublishFailed, match="ConnectionRefusedError"):
        publisher.post([])
