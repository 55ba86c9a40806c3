"""A scripted OpenAI-compatible chat server on 127.0.0.1, in a thread.

Each request takes the next `Reply` from `replies` (the last one repeats), so a
test decides exactly what the "model" says, how slowly, or how it fails. Every
request's JSON body and headers are kept in `requests` for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    deltas: list[str] = field(default_factory=lambda: ["Hello [1]."])
    status: int = 200
    body: bytes | None = None  # a raw body instead of an SSE stream (errors, garbage)
    delay: float = 0.0  # seconds to wait before answering at all
    headers: dict[str, str] = field(default_factory=dict)
    usage: dict[str, int] | None = field(
        default_factory=lambda: {"prompt_tokens": 100, "completion_tokens": 5, "total_tokens": 105}
    )
    finish: bool = True  # send a finish_reason


class StubServer:
    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies = list(replies or [Reply()])
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps({"object": "list", "data": [{"id": "stub"}]}).encode()
                self._send(200, body, "application/json")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                with stub._lock:
                    stub.requests.append({"json": payload, "headers": dict(self.headers)})
                    reply = stub.replies.pop(0) if len(stub.replies) > 1 else stub.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.body is not None or reply.status != 200:
                        self._send(
                            reply.status, reply.body or b"{}", "application/json", reply.headers
                        )
                    else:
                        self._stream(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _send(
                self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _stream(self, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()

                def event(obj: dict[str, Any]) -> None:
                    self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
                    self.wfile.flush()

                base = {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "stub",
                }
                for delta in reply.deltas:
                    event(
                        {
                            **base,
                            "choices": [
                                {"index": 0, "delta": {"content": delta}, "finish_reason": None}
                            ],
                        }
                    )
                if reply.finish:
                    event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                if reply.usage:
                    event({**base, "choices": [], "usage": reply.usage})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
