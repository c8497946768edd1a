#!/usr/bin/env python3
"""Sends known bytes over TCP or UDP and checks what arrives, for system
scenarios that need to know a path delivers data intact (a wrong L4
checksum makes the receiving stack drop the segment: TCP then stalls,
UDP loses the datagram).

  stream-check.py recv tcp|udp PORT COUNT   receive, print a JSON summary
  stream-check.py send tcp|udp IP PORT COUNT

TCP: COUNT bytes of a fixed pseudo-random stream; the receiver checks
every byte.  UDP: COUNT datagrams of varied sizes, each carrying its index
and a pattern derived from it; the receiver counts the intact ones.
Exit: 0 all well, 1 data missing or wrong, 2 usage."""
import json
import random
import socket
import sys
import time


def stream(n):
    return random.Random(7).randbytes(n)


def datagram(i):
    size = 18 + (i * 37) % 1400
    body = bytes((i * 7 + k) & 0xff for k in range(size - 4))
    return i.to_bytes(4, "big") + body


def recv_tcp(port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(1)
    want = stream(count)
    s.settimeout(60)
    c, _ = s.accept()
    c.settimeout(30)
    got = bytearray()
    while len(got) < count:
        b = c.recv(65536)
        if not b:
            break
        got += b
    ok = bytes(got) == want
    print(json.dumps({"proto": "tcp", "bytes": len(got), "intact": ok}))
    return 0 if ok else 1


def recv_udp(port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # Room for a burst, so that a slow (emulated) receiver loses nothing.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("0.0.0.0", port))
    # The sender may take long to start on a busy, emulated host: wait for
    # the first datagram long, then for each next one a while.
    s.settimeout(60)
    seen = set()
    bad = 0
    try:
        while len(seen) < count:
            b, _ = s.recvfrom(2048)
            s.settimeout(10)
            i = int.from_bytes(b[:4], "big")
            if i < count and b == datagram(i):
                seen.add(i)
            else:
                bad += 1
    except socket.timeout:
        pass
    print(json.dumps({"proto": "udp", "datagrams": len(seen),
                      "wanted": count, "bad": bad}))
    return 0 if len(seen) == count and not bad else 1


def send_tcp(ip, port, count):
    for attempt in range(50):  # the receiver may not listen yet
        try:
            s = socket.create_connection((ip, port), timeout=30)
            break
        except ConnectionRefusedError:
            if attempt == 49:
                raise
            time.sleep(0.2)
    s.sendall(stream(count))
    s.close()
    return 0


def send_udp(ip, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(count):
        s.sendto(datagram(i), (ip, port))
        if i % 20 == 19:  # do not outrun the receiver
            time.sleep(0.01)
    return 0


def main(argv):
    try:
        if argv[1] == "recv":
            fn = recv_tcp if argv[2] == "tcp" else recv_udp
            return fn(int(argv[3]), int(argv[4]))
        if argv[1] == "send":
            fn = send_tcp if argv[2] == "tcp" else send_udp
            return fn(argv[3], int(argv[4]), int(argv[5]))
    except (IndexError, ValueError):
        pass
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
