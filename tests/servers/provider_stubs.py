#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Loopback stubs of cxrcat's dataset providers (Python standard library only).

One process, one HTTP server per provider, each on its own port: zenodo, physionet, kaggle, huggingface,
huggingface_cdn (the host LFS downloads are redirected to), idc, idc_api, tcia and tcia_nlst (NLST's own NBIA
host). Every server reads the "world" directory (--world) on every request, so tests create content at run time
without restarting anything. Each provider's handler lives in stubs/<provider>.py, what they share in
stubs/handler.py, world.py, text.py and digests.py; this file binds them to their ports. The HTTP shapes follow
../shared/reference/provider-apis.md and api-drift-2026.md; tests/servers/README.md ("Provider stubs") is the
contract, provider_fixture.py starts and stops this process.

Usage: provider_stubs.py --world DIR --ready-file FILE [--log-dir DIR] [--max-lifetime SECONDS]
Listens on 127.0.0.1 (and ::1 on the same ports when the machine has IPv6 loopback), never on another
address. Exits on SIGTERM/SIGINT, and by itself after --max-lifetime seconds (default 2 h).
Never logs a secret: request logs and /__stats record whether an Authorization header was present and
its scheme, never its value, and secret-looking query parameters are redacted.
"""
import argparse
import errno
import json
import os
import socket
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loopback_http import LoopbackServer, serve_until_stopped, start_serving  # noqa: E402, I001
from request_stats import RequestStats  # noqa: E402
from stubs.handler import Shared  # noqa: E402
from stubs.huggingface import HubHandler  # noqa: E402
from stubs.huggingface_cdn import HubCdnHandler  # noqa: E402
from stubs.idc import IdcHandler  # noqa: E402
from stubs.idc_api import IdcApiHandler  # noqa: E402
from stubs.kaggle import KaggleHandler  # noqa: E402
from stubs.physionet import PhysioNetHandler  # noqa: E402
from stubs.tcia import TciaHandler, TciaNlstHandler  # noqa: E402
from stubs.zenodo import ZenodoHandler  # noqa: E402

SERVERS = ("zenodo", "physionet", "kaggle", "huggingface", "huggingface_cdn", "idc", "idc_api", "tcia", "tcia_nlst")
Stats = RequestStats  # per-server counters and request log, same shape as fault_server.py's
HANDLERS = {"zenodo": ZenodoHandler, "physionet": PhysioNetHandler, "kaggle": KaggleHandler,
            "huggingface": HubHandler, "huggingface_cdn": HubCdnHandler, "idc": IdcHandler,
            "idc_api": IdcApiHandler, "tcia": TciaHandler, "tcia_nlst": TciaNlstHandler}


class Server(LoopbackServer):
    def __init__(self, address, handler, shared, stats):
        self.shared, self.stats = shared, stats
        super().__init__(address, handler, stats)


class Server6(Server):
    address_family = socket.AF_INET6


def bind(handler, shared, stats):
    """127.0.0.1 (and ::1 when available) on one free port."""
    for _ in range(20):
        v4 = Server(("127.0.0.1", 0), handler, shared, stats)
        port = v4.server_address[1]
        try:
            v6 = Server6(("::1", port), handler, shared, stats)
        except OSError as error:
            if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                return [v4]
            v4.server_close()
            continue
        return [v4, v6]
    raise OSError("could not find a port free on both 127.0.0.1 and ::1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", required=True, help="directory the stubs read on every request")
    parser.add_argument("--ready-file", required=True, help="JSON {pid, ports, ipv6} written once listening")
    parser.add_argument("--log-dir", help="one <server>.log (JSON lines) per server here")
    parser.add_argument("--max-lifetime", type=float, default=7200.0, help="exit after this many seconds")
    args = parser.parse_args()

    shared = Shared(args.world)
    listeners = []
    ipv6 = True
    for name in SERVERS:
        stats = Stats(os.path.join(args.log_dir, f"{name}.log") if args.log_dir else None)
        servers = bind(HANDLERS[name], shared, stats)
        ipv6 = ipv6 and len(servers) > 1
        shared.ports[name] = servers[0].server_address[1]
        listeners.extend(servers)

    start_serving(listeners, shared.stop)
    tmp = f"{args.ready_file}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"pid": os.getpid(), "ports": shared.ports, "ipv6": ipv6}, f)
    os.replace(tmp, args.ready_file)
    serve_until_stopped(listeners, shared.stop, args.max_lifetime)
    return 0


if __name__ == "__main__":
    sys.exit(main())
