#!/usr/bin/env python3
"""Live pages under many viewers: memory and fan-out of the event streams.

Usage: python3 scripts/live_bench.py BASE_URL SERVER_PID [STREAMS]

Against a running `kezek --dev --seed-demo` (the dev outbox gives sign-in
codes): opens STREAMS (default 1000) server-sent event streams on
/live/center/1 (a hall display or console each), waits until
/healthz/detail counts them, then books a visit at center 1 five times
and times how long until every stream has heard each `change`. Prints the
server's resident memory (VmRSS, VmHWM from /proc) before and with the
streams open, and the fan-out times. Standard library only.
"""
import asyncio
import json
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def http(base, method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method)
    req.add_header("accept-language", "en")
    if body is not None:
        req.add_header("content-type", "application/json")
        req.data = json.dumps(body).encode()
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def citizen_token(base, n):
    iin = iin_n(n)
    phone = "+7705%07d" % n
    st, body = http(base, "POST", "/api/v1/auth/otp", {"iin": iin, "phone": phone})
    assert st == 202, body
    with urllib.request.urlopen(f"{base}/api/v1/dev/outbox?to=%2B{phone[1:]}") as r:
        out = json.loads(r.read())
    code = next(w for w in "".join(c if c.isdigit() else " " for c in out[0]["body"]).split() if len(w) == 6)
    st, body = http(base, "POST", "/api/v1/auth/verify", {"challenge_id": body["challenge_id"], "code": code})
    assert st == 200, body
    return body["token"]


def iin_n(n):
    """A valid IIN (born 1990-01-01, male), serial n (the test helpers' rule)."""
    d = [int(c) for c in "900101" + "3" + "%04d" % (n % 10000)]
    w1 = list(range(1, 12))
    w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    c = sum(a * b for a, b in zip(d, w1)) % 11
    if c == 10:
        c = sum(a * b for a, b in zip(d, w2)) % 11
    if c == 10:
        return iin_n(n + 5000)
    return "".join(map(str, d)) + str(c)


async def open_stream(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    buf = b""
    while b"event: ready" not in buf:
        chunk = await reader.read(4096)
        if not chunk:
            # Refused (e.g. 429 past the per-address cap: the server runs
            # with --live-per-address for this script) or closed.
            raise RuntimeError("stream refused: " + buf.split(b"\r\n", 1)[0].decode(errors="replace"))
        buf += chunk
    return reader, writer


async def wait_change(reader):
    buf = b""
    while b"event: change" not in buf:
        chunk = await reader.read(4096)
        if not chunk:
            raise RuntimeError("stream closed")
        buf += chunk
    return time.perf_counter()


async def main():
    base, pid = sys.argv[1], int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    host, port = base.split("//")[1].split(":")
    port = int(port)
    rss0, hwm0 = status_kib(pid, "VmRSS"), status_kib(pid, "VmHWM")
    streams = []
    for i in range(0, n, 100):
        streams += await asyncio.gather(*(open_stream(host, port, "/live/center/1") for _ in range(min(100, n - i))))
    _, h = http(base, "GET", "/healthz/detail")
    counted = h["live"]["streams"]
    rss1 = status_kib(pid, "VmRSS")
    # One citizen per booking (R4 allows one booking per 10 days).
    tokens = [citizen_token(base, 7001 + k) for k in range(3)]
    fanout = []
    # Book, cancel, book, cancel, book (10:00, 10:15, 10:30 two days ahead).
    day = datetime.now(timezone(timedelta(hours=5))).date() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    for k in range(5):
        waits = [asyncio.create_task(wait_change(r)) for r, _ in streams]
        t0 = time.perf_counter()
        if k % 2 == 0:
            st, b = http(base, "POST", "/api/v1/bookings",
                         {"center_id": "1", "service": "ID_CARD", "start": f"{day}T10:{15 * (k // 2):02d}:00+05:00"},
                         tokens[k // 2])
            assert st == 201, b
            last = b["id"]
        else:
            st, b = http(base, "POST", f"/api/v1/bookings/{last}/cancel", {}, tokens[k // 2])
            assert st == 200, b
        done = await asyncio.gather(*waits)
        fanout.append((max(done) - t0) * 1000)
    rss2, hwm2 = status_kib(pid, "VmRSS"), status_kib(pid, "VmHWM")
    for _, w in streams:
        w.close()
    print(f"live streams: {n} opened, {counted} counted by /healthz/detail")
    print(f"server memory: VmRSS {rss0 / 1024:.1f} MiB before, {rss1 / 1024:.1f} MiB with the streams open, "
          f"{rss2 / 1024:.1f} MiB after 5 commits; VmHWM {max(hwm0, hwm2) / 1024:.1f} MiB")
    print(f"per stream: {(rss1 - rss0) / n:.1f} KiB")
    fanout.sort()
    print("commit → every stream heard it (ms, 5 commits, sorted): " + ", ".join(f"{x:.1f}" for x in fanout))


if __name__ == "__main__":
    asyncio.run(main())
