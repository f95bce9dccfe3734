# SPDX-License-Identifier: Apache-2.0
"""What fault_server.py and provider_stubs.py (with stubs/handler.py) do alike as HTTP servers: the server
class, sending a response's head and body while counting them in the server's RequestStats (request_stats.py),
a client hanging up, and serving until stopped.
"""

import http.server
import signal
import socket
import socketserver
import sys
import threading
import time


class ClientGone(Exception):
    """The client closed the connection; not an error for a loopback test server."""


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server on loopback whose errors go to its RequestStats log."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler, request_stats):
        self.request_stats = request_stats
        super().__init__(address, handler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (socket.getfqdn); not wanted on a test machine.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "localhost"
        self.server_port = self.server_address[1]

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, socket.timeout, ClientGone)):
            return  # clients hanging up is what these servers are for
        self.request_stats.log({"time": time.time(), "client": client_address[0], "error": repr(error)})


def send_head(handler, stats, status, headers, length):
    """Sends the status line, headers and Content-Length (Connection: close when closing); counts the status."""
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(length))
    if handler.close_connection:
        handler.send_header("Connection", "close")
    handler.end_headers()
    stats.set_status(handler.entry, status)


def write_body(handler, stats, data):
    """Writes data (nothing for HEAD) and counts its bytes; ClientGone when the client hung up."""
    if handler.head or not data:
        return
    try:
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout) as error:
        raise ClientGone() from error
    stats.add_bytes(handler.entry, len(data))


def start_serving(servers, stop):
    """Serves each server on a daemon thread of its own; SIGTERM, SIGINT and SIGHUP set the event stop."""

    def on_signal(signum, frame):
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()


def serve_until_stopped(servers, stop, max_lifetime):
    """Waits for stop or for max_lifetime seconds, then sets stop (releasing stalled handlers) and closes every
    server; True when the lifetime ran out."""
    deadline = time.monotonic() + max_lifetime
    expired = False
    while not stop.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            expired = True
            break
        stop.wait(min(remaining, 1.0))
    stop.set()
    for server in servers:
        server.shutdown()
        server.server_close()
    return expired
