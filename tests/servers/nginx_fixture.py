#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Starts and stops cxrcat's loopback test servers: a real nginx (HTTP + HTTPS) and fault_server.py.

Usage: nginx_fixture.py start STATE_DIR [--slow-rate RATE] [--throttle-rate RATE] [--no-fault]
       nginx_fixture.py stop STATE_DIR
       nginx_fixture.py status STATE_DIR

`start` (re)creates STATE_DIR/{www,conf,logs,tmp}, fixture files, a throw-away CA and server certificate,
an htpasswd file, picks free loopback ports, starts both servers, waits until they answer and writes
STATE_DIR/servers.json (the contract in tests/servers/README.md). `stop` ends exactly the processes that
`start` recorded and is idempotent. Only 127.0.0.1, ::1 and localhost are ever used.

Environment: CXRCAT_REQUIRE_SERVERS=1 turns "nginx or openssl missing" from a skip (exit 77) into a
failure (exit 1); CXRCAT_NGINX overrides the nginx binary; CXRCAT_TEST_SLOW_RATE (default 4m) and
CXRCAT_TEST_THROTTLE_RATE (default 2m) set the nginx limit_rate of /slow/ and /throttled/.
Runs with Debian's /usr/bin/python3, standard library only.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import random
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import tarfile
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_support import (FixtureError, claim_state_dir, end_process, free_ports, http_get,  # noqa: E402,I001
                             ipv6_loopback, is_running, log, poll, read_pid, reclaim_state_dir, recorded_pid,
                             remove_state_files, write_atomically)

EXIT_SKIP = 77
MARKER = ".cxrcat-test-servers"
SUBDIRS = ("www", "conf", "logs", "tmp")
AUTH_USER = "cxrcat-test"
RATE_PATTERN = re.compile(r"^[0-9]+[kKmM]?$")
FIXTURE_MTIME = 1_704_067_200  # 2024-01-01T00:00:00Z: stable ETags and Last-Modified for fixture files
HERE = os.path.dirname(os.path.abspath(__file__))

# Sizes are deliberately not multiples of common buffer sizes.
RANDOM_FILES = {"small.bin": 100_003, "medium.bin": 4 * 1024 * 1024 + 13, "large.bin": 32 * 1024 * 1024}


def prepare_state_dir(state):
    claim_state_dir(state, MARKER, "tests/servers/nginx_fixture.py; `stop` ends the servers recorded here", SUBDIRS)
    os.chmod(os.path.join(state, "conf"), 0o700)


def digests(path):
    algorithms = {name: hashlib.new(name) for name in ("md5", "sha1", "sha256", "sha512")}
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            for h in algorithms.values():
                h.update(chunk)
    return {"size": os.path.getsize(path), **{name: h.hexdigest() for name, h in algorithms.items()}}


def make_fixture_files(www):
    """Writes deterministic files into www and returns {name: {size, md5, sha1, sha256, sha512}}."""
    rng = random.Random(20240101)
    for name, size in RANDOM_FILES.items():
        with open(os.path.join(www, name), "wb") as f:
            f.write(rng.randbytes(size))
    with open(os.path.join(www, "hello.txt"), "w", encoding="utf-8") as f:
        f.write("hello from the cxrcat test servers\n")

    members = {"sample/readme.txt": b"a tiny archive for payload sniffing tests\n",
               "sample/data.csv": b"id,label\n1,normal\n2,effusion\n"}
    with zipfile.ZipFile(os.path.join(www, "sample.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0)), data)
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as t:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size, info.mtime, info.mode = len(data), FIXTURE_MTIME, 0o644
            t.addfile(info, io.BytesIO(data))
    with open(os.path.join(www, "sample.tar.gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(tar_bytes.getvalue())

    manifest = {}
    for name in sorted(os.listdir(www)):
        path = os.path.join(www, name)
        os.utime(path, (FIXTURE_MTIME, FIXTURE_MTIME))
        manifest[name] = digests(path)
    return manifest


def make_certificates(openssl, conf):
    """A throw-away CA and a server certificate for localhost, 127.0.0.1 and ::1 (EC P-256)."""
    def run(*args, stdin=None):
        result = subprocess.run([openssl, *args], input=stdin, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise FixtureError(f"openssl {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    ca_key, ca_crt = os.path.join(conf, "ca.key"), os.path.join(conf, "ca.crt")
    key, csr, crt = (os.path.join(conf, n) for n in ("server.key", "server.csr", "server.crt"))
    ext = os.path.join(conf, "server.ext")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", ca_key, "-out", ca_crt, "-days", "30", "-sha256",
        "-subj", "/O=cxrcat tests/CN=cxrcat throw-away test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-new", *ec, "-keyout", key, "-out", csr, "-subj", "/O=cxrcat tests/CN=localhost")
    with open(ext, "w", encoding="utf-8") as f:
        f.write("basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n")
    run("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-set_serial",
        str(secrets.randbits(63)), "-days", "30", "-sha256", "-extfile", ext, "-out", crt)
    return ca_crt, crt, key


def make_htpasswd(openssl, conf):
    password = secrets.token_urlsafe(18)
    hashed = subprocess.run([openssl, "passwd", "-apr1", "-stdin"], input=password + "\n",
                            capture_output=True, text=True, check=False)
    if hashed.returncode != 0:
        raise FixtureError(f"openssl passwd failed: {hashed.stderr.strip()}")
    path = os.path.join(conf, "htpasswd")
    write_atomically(path, f"{AUTH_USER}:{hashed.stdout.strip()}\n", 0o600)
    return path, password


# --- nginx ------------------------------------------------------------------------------------------------

NGINX_CONF = """\
# Generated by tests/servers/nginx_fixture.py; loopback only. Regenerated on every `start`.
{user}daemon on;
master_process on;
worker_processes 2;
pid {tmp}/nginx.pid;
lock_file {tmp}/nginx.lock;
error_log {logs}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    # A fixed type map (not /etc/nginx/mime.types) so both test servers label files alike.
    types {{
        text/html html htm;
        text/plain txt;
        text/csv csv;
        application/json json;
        application/xml xml;
        application/zip zip;
        application/gzip gz tgz;
        application/x-tar tar;
        image/png png;
        image/jpeg jpg jpeg;
        application/dicom dcm;
    }}
    default_type application/octet-stream;

    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

    # One JSON object per line, written when a request ends (completed or aborted by the client).
    log_format cxrcat_json escape=json '{{"time":"$time_iso8601","msec":$msec,"remote_addr":"$remote_addr",'
        '"host":"$host","scheme":"$scheme","server_port":$server_port,"method":"$request_method",'
        '"uri":"$request_uri","path":"$uri","status":$status,"bytes_sent":$bytes_sent,'
        '"body_bytes_sent":$body_bytes_sent,"range":"$http_range","if_range":"$http_if_range",'
        '"user_agent":"$http_user_agent","remote_user":"$remote_user","connection":$connection,'
        '"connection_requests":$connection_requests,"request_time":$request_time,'
        '"completion":"$request_completion","x_amz_request_payer":"$http_x_amz_request_payer"}}';
    access_log {logs}/access.log cxrcat_json;

    sendfile on;
    tcp_nopush on;
    keepalive_timeout 30s;
    server_tokens off;
    etag on;
    autoindex off;

    # ?rate=N[k|m] overrides the default rate of /slow/ and /throttled/ for one request.
    map $arg_rate $cxrcat_slow_rate {{
        "~^[0-9]+[kKmM]?$" $arg_rate;
        default {slow_rate};
    }}
    map $arg_rate $cxrcat_throttle_rate {{
        "~^[0-9]+[kKmM]?$" $arg_rate;
        default {throttle_rate};
    }}

    server {{
        listen 127.0.0.1:{http_port};
        {listen6_http}
        listen 127.0.0.1:{https_port} ssl;
        {listen6_https}
        server_name localhost 127.0.0.1;

        ssl_certificate {server_crt};
        ssl_certificate_key {server_key};
        ssl_protocols TLSv1.2 TLSv1.3;

        location = /__health {{
            default_type text/plain;
            return 200 "ok\\n";
        }}
        location /files/ {{
            alias {www}/;
        }}
        location /slow/ {{
            alias {www}/;
            limit_rate $cxrcat_slow_rate;
        }}
        location /throttled/ {{
            alias {www}/;
            limit_rate $cxrcat_throttle_rate;
        }}
        location /auth/ {{
            alias {www}/;
            auth_basic "cxrcat-test";
            auth_basic_user_file {htpasswd};
        }}
        location / {{
            return 404;
        }}
    }}
}}
"""


def find_nginx():
    if "CXRCAT_NGINX" in os.environ:  # only that one, so a missing nginx can be simulated
        candidates = [os.environ["CXRCAT_NGINX"]]
    else:
        candidates = [shutil.which("nginx"), "/usr/sbin/nginx"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def start_nginx(nginx, state, paths, rates, ipv6):
    """Writes nginx.conf on fresh free ports and starts nginx; retries when a port was taken meanwhile."""
    conf_path = os.path.join(state, "conf", "nginx.conf")
    pid_path = os.path.join(state, "tmp", "nginx.pid")
    last_error = ""
    for _ in range(5):
        http_port, https_port = free_ports(2, ipv6)
        text = NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "",
            tmp=os.path.join(state, "tmp"), logs=os.path.join(state, "logs"), www=os.path.join(state, "www"),
            http_port=http_port, https_port=https_port,
            listen6_http=f"listen [::1]:{http_port};" if ipv6 else "",
            listen6_https=f"listen [::1]:{https_port} ssl;" if ipv6 else "",
            server_crt=paths["server_crt"], server_key=paths["server_key"], htpasswd=paths["htpasswd"],
            slow_rate=rates["slow"], throttle_rate=rates["throttle"])
        write_atomically(conf_path, text)
        startup_log = os.path.join(state, "logs", "nginx-startup.log")
        with open(startup_log, "w", encoding="utf-8") as out:
            result = subprocess.run(
                [nginx, "-p", state + "/", "-c", conf_path, "-e", os.path.join(state, "logs", "error.log")],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False, timeout=30)
        with open(startup_log, encoding="utf-8", errors="replace") as f:
            output = f.read().strip()
        if result.returncode == 0:
            def pid_from_file():
                pid = read_pid(pid_path)
                if pid is None:
                    raise ValueError(f"{pid_path} not written yet")
                return pid

            return poll("nginx pid file", pid_from_file, lambda: True), http_port, https_port
        last_error = output
        if "Address already in use" not in output:
            break
    raise FixtureError(f"nginx failed to start: {last_error}")


# --- fault server -----------------------------------------------------------------------------------------

def start_fault_server(state):
    ready = os.path.join(state, "tmp", "fault.json")
    script = os.path.join(HERE, "fault_server.py")
    with open(os.path.join(state, "logs", "fault-server.stderr"), "w", encoding="utf-8") as err:
        process = subprocess.Popen(
            [sys.executable, script, "--www", os.path.join(state, "www"), "--ready-file", ready,
             "--log", os.path.join(state, "logs", "fault.log")],
            stdin=subprocess.DEVNULL, stdout=err, stderr=subprocess.STDOUT, start_new_session=True)

    def ready_info():
        with open(ready, encoding="utf-8") as f:
            return json.load(f)

    try:
        info = poll("fault server", ready_info, lambda: process.poll() is None)
        port = int(info["port"])
        poll("fault server", lambda: http_get(f"http://127.0.0.1:{port}/__stats"), lambda: process.poll() is None)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process.pid, port


# --- commands ---------------------------------------------------------------------------------------------

def stop(state):
    state = os.path.abspath(state)
    if not os.path.exists(os.path.join(state, MARKER)):
        return 0  # nothing was ever started here
    stopped = []
    nginx_pid = recorded_pid(os.path.join(state, "tmp", "nginx.pid"), os.path.join(state, "servers.json"), "nginx_pid")
    if end_process(nginx_pid, state, "nginx"):
        stopped.append(f"nginx (pid {nginx_pid})")
    fault_pid = read_pid(os.path.join(state, "tmp", "fault.json"))
    if end_process(fault_pid, state, "fault server"):
        stopped.append(f"fault server (pid {fault_pid})")
    remove_state_files(state, ["servers.json", os.path.join("tmp", "nginx.pid"), os.path.join("tmp", "fault.json")])
    log("stopped " + (", ".join(stopped) if stopped else "nothing (no server was running)"))
    return 0


def rate_setting(cli_value, env_name, default):
    value = cli_value or os.environ.get(env_name) or default
    if not RATE_PATTERN.match(value):
        raise FixtureError(f"{env_name}: {value!r} is not an nginx rate such as 512k or 4m")
    return value


def start(state, args):
    state = reclaim_state_dir(state, MARKER, "servers.json", stop)

    nginx, openssl = find_nginx(), shutil.which("openssl")
    missing = [name for name, path in (("nginx", nginx), ("openssl", openssl)) if path is None]
    if missing:
        required = os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1"
        log(f"{' and '.join(missing)} not found; install them with scripts/install-deps --test "
            f"(Debian packages nginx-light, openssl)")
        if required:
            log("CXRCAT_REQUIRE_SERVERS=1: failing instead of skipping the server tests")
            return 1
        log("skipping the tests that need the loopback servers")
        return EXIT_SKIP

    rates = {"slow": rate_setting(args.slow_rate, "CXRCAT_TEST_SLOW_RATE", "4m"),
             "throttle": rate_setting(args.throttle_rate, "CXRCAT_TEST_THROTTLE_RATE", "2m")}
    prepare_state_dir(state)
    conf, www = os.path.join(state, "conf"), os.path.join(state, "www")
    files = make_fixture_files(www)
    ca_crt, server_crt, server_key = make_certificates(openssl, conf)
    htpasswd, password = make_htpasswd(openssl, conf)
    ipv6 = ipv6_loopback()

    try:
        servers = {"www": www, "ca_cert": ca_crt, "auth_user": AUTH_USER, "auth_password": password,
                   "access_log": os.path.join(state, "logs", "access.log"),
                   "error_log": os.path.join(state, "logs", "error.log"),
                   "slow_rate": rates["slow"], "throttle_rate": rates["throttle"], "ipv6": ipv6}
        if not args.no_fault:
            fault_pid, fault_port = start_fault_server(state)
            servers.update({"fault": f"http://127.0.0.1:{fault_port}", "fault_alt": f"http://localhost:{fault_port}",
                            "fault_log": os.path.join(state, "logs", "fault.log"), "fault_pid": fault_pid})

        paths = {"server_crt": server_crt, "server_key": server_key, "htpasswd": htpasswd}
        nginx_pid, http_port, https_port = start_nginx(nginx, state, paths, rates, ipv6)
        servers.update({"http": f"http://127.0.0.1:{http_port}", "https": f"https://localhost:{https_port}",
                        "nginx_pid": nginx_pid})
        poll("nginx http", lambda: http_get(f"{servers['http']}/__health"), lambda: is_running(nginx_pid))
        context = ssl.create_default_context(cafile=ca_crt)
        poll("nginx https", lambda: http_get(f"{servers['https']}/__health", context), lambda: is_running(nginx_pid))
    except BaseException:
        stop(state)
        raise

    servers["files"] = files
    write_atomically(os.path.join(state, "servers.json"), json.dumps(servers, indent=2, sort_keys=True) + "\n",
                     0o600)
    log(f"nginx {servers['http']} {servers['https']} (pid {nginx_pid})"
        + (f", fault server {servers['fault']}" if "fault" in servers else "")
        + f"; state in {os.path.join(state, 'servers.json')}")
    return 0


def status(state):
    state = os.path.abspath(state)
    nginx_pid = read_pid(os.path.join(state, "tmp", "nginx.pid"))
    fault_pid = read_pid(os.path.join(state, "tmp", "fault.json"))
    running = {"nginx": bool(nginx_pid and is_running(nginx_pid))}
    if fault_pid is not None or not os.path.exists(os.path.join(state, "servers.json")):
        running["fault"] = bool(fault_pid and is_running(fault_pid))
    print(json.dumps(running))
    return 0 if all(running.values()) else 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("state_dir")
    parser.add_argument("--slow-rate", help="nginx limit_rate of /slow/ (default $CXRCAT_TEST_SLOW_RATE or 4m)")
    parser.add_argument("--throttle-rate", help="nginx limit_rate per connection of /throttled/ "
                                                "(default $CXRCAT_TEST_THROTTLE_RATE or 2m)")
    parser.add_argument("--no-fault", action="store_true", help="start nginx only")
    args = parser.parse_args()
    try:
        if args.command == "start":
            return start(args.state_dir, args)
        if args.command == "stop":
            return stop(args.state_dir)
        return status(args.state_dir)
    except FixtureError as error:
        log(f"error: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
