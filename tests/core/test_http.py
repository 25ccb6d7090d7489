"""The one HTTP door for provider APIs (galeri/core/http.py), against a real local server: an
answer is a Response whatever its status, a timeout is TimeoutError, a closed port OSError, and a
test's fake replaces the network and can be taken back."""

import http.server
import socket
import threading
import time

import pytest

from galeri.core.http import Response, Transport


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.path == "/lambat":
            time.sleep(1.5)
        status = 500 if self.path == "/rusak" else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"echo": "' + body + b'"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_an_answer_is_a_response_whatever_its_status(server):
    transport = Transport(timeout=5)
    ok = transport.send("POST", server + "/", {"Content-Type": "application/json"}, b"halo")
    assert (ok.status, ok.json()) == (200, {"echo": "halo"})
    broken = transport.send("POST", server + "/rusak", {}, b"x")
    assert broken.status == 500


def test_a_slow_provider_is_a_timeout_and_a_closed_port_an_os_error(server):
    with pytest.raises(TimeoutError):
        Transport(timeout=0.3).send("POST", server + "/lambat", {}, b"x")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(OSError):
        Transport(timeout=1).send("POST", f"http://127.0.0.1:{closed}/", {}, b"x")


def test_a_fake_replaces_the_network_and_is_taken_back(server):
    transport = Transport(timeout=5)
    seen = []

    def fake(method, url, headers, body):
        seen.append((method, url, body))
        return Response(201, b"{}", {})

    previous = transport.replace(fake)
    assert transport.send("POST", "https://api.contoh.id/x", {}, b"a").status == 201
    assert seen == [("POST", "https://api.contoh.id/x", b"a")]
    transport.replace(previous)
    assert transport.send("POST", server + "/", {}, b"b").json() == {"echo": "b"}
