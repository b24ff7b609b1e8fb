"""A stand-in for the Datadog agent on 127.0.0.1: keeps every span that ddtrace sends it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import msgpack


class FakeDatadogAgent:
    """Accepts trace payloads (v0.4 and v0.5 msgpack) and answers the agent's other endpoints.

    `agent.url` goes into DD_TRACE_AGENT_URL; `agent.spans()` lists the spans received as dicts
    (`name`, `service`, `resource`, `meta`, `metrics`, `trace_id`, ...).
    """

    def __init__(self):
        self.payloads: list[list[list[dict]]] = []  # payload -> traces -> spans
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeDatadogAgent":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def spans(self) -> list[dict]:
        with self._lock:
            return [span for payload in self.payloads for trace in payload for span in trace]

    def _receive(self, path: str, body: bytes) -> None:
        with self._lock:
            self.paths.append(path)
        if path.endswith("/v0.4/traces"):
            traces = msgpack.unpackb(body, raw=False, strict_map_key=False)
        elif path.endswith("/v0.5/traces"):
            traces = _decode_v05(msgpack.unpackb(body, raw=False, strict_map_key=False))
        else:
            return
        with self._lock:
            self.payloads.append(traces)

    def _handler(self):
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/info"):
                    self._answer({"version": "7.60.0", "endpoints": ["/v0.4/traces", "/v0.5/traces"]})
                else:
                    self._answer({})

            def do_PUT(self):
                length = int(self.headers.get("Content-Length") or 0)
                agent._receive(self.path.split("?")[0], self.rfile.read(length))
                self._answer({"rate_by_service": {}} if self.path.endswith("/traces") else {})

            do_POST = do_PUT

            def _answer(self, body: dict):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


V05_FIELDS = ("service", "name", "resource", "trace_id", "span_id", "parent_id", "start", "duration", "error")


def _decode_v05(payload) -> list[list[dict]]:
    """v0.5 sends [string table, traces], each span an array whose strings are table indexes."""
    strings, traces = payload
    decoded = []
    for trace in traces:
        spans = []
        for item in trace:
            span = dict(zip(V05_FIELDS, item[:9], strict=True))
            for key in ("service", "name", "resource"):
                span[key] = strings[span[key]]
            span["meta"] = {strings[k]: strings[v] for k, v in item[9].items()}
            span["metrics"] = {strings[k]: v for k, v in item[10].items()}
            span["type"] = strings[item[11]]
            spans.append(span)
        decoded.append(spans)
    return decoded
