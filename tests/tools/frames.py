#!/usr/bin/env python3
"""Crafted Ethernet frames for the system tests: send them on an interface
(AF_PACKET), or capture what arrives on one.

  frames.py send [--repeat N] [--gap-us U] IFACE SPEC [SPEC...]
  frames.py capture IFACE OUTFILE SECONDS

A SPEC is KIND[:key=value,...]. Kinds: udp4 tcp4 icmp4 arp udp6 tcp6 icmp6
ns6 (neighbour solicitation) frag4 frag6 vlan-udp4 qinq-udp4 short-ip4
(truncated IPv4 header) bad-ihl4.  Keys: src, dst (MACs), sip, dip (IP
addresses), sport, dport, vid, count (frames, default 1), and the spreads
src_spread, sport_spread, dport_spread, sip_spread: frame i adds i modulo the
spread to the last byte(s) of that field, so one spec can make hundreds of
distinct flows.  capture writes one frame per line, in hex, in arrival
order.  A frame the kernel marks as having its checksum still to be
completed (TP_STATUS_CSUMNOTREADY: CHECKSUM_PARTIAL, e.g. a VM's frame
from a tap, forwarded by the kernel datapath to a veth) is written with its
TCP/UDP checksum completed as skb_checksum_help() would on output, so
that it compares equal to the same frame completed by the fast path."""
import ipaddress
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET, PACKET_AUXDATA = 263, 8
TP_STATUS_CSUMNOTREADY = 1 << 3


def mac_bytes(text, add=0):
    b = bytearray(int(x, 16) for x in text.split(":"))
    v = int.from_bytes(b[3:], "big") + add
    b[3:] = (v % (1 << 24)).to_bytes(3, "big")
    return bytes(b)


def ip_bytes(text, add=0):
    addr = ipaddress.ip_address(text) + add
    return addr.packed


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(sip, dip, proto, payload, ident=1, frag=0, ttl=64, ihl=5):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(payload),
                      ident, frag, ttl, proto, 0, sip, dip)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4_csum4(sip, dip, proto, seg):
    pseudo = sip + dip + struct.pack("!BBH", 0, proto, len(seg))
    return csum(pseudo + seg)


def l4_csum6(sip, dip, proto, seg):
    pseudo = sip + dip + struct.pack("!IxxxB", len(seg), proto)
    return csum(pseudo + seg)


def udp(sport, dport, body, sip, dip, v6=False):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(body), 0) + body
    c = (l4_csum6 if v6 else l4_csum4)(sip, dip, 17, seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(sport, dport, sip, dip, v6=False, flags=0x02):
    seg = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags,
                      65535, 0, 0)
    c = (l4_csum6 if v6 else l4_csum4)(sip, dip, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def icmp4_echo(ident):
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"ovs-xdp!"
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def ipv6(sip, dip, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       sip, dip) + payload


def icmp6(sip, dip, typ, code, body):
    msg = struct.pack("!BBH", typ, code, 0) + body
    c = l4_csum6(sip, dip, 58, msg)
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def eth(dst, src, etype, payload, tags=()):
    hdr = dst + src
    for tpid, vid in tags:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", etype) + payload


def build(kind, p, i):
    src = mac_bytes(p.get("src", "02:00:00:00:00:01"), i % int(p.get("src_spread", 1)))
    dst = mac_bytes(p.get("dst", "02:00:00:00:00:02"))
    v6 = kind.endswith("6")
    sip = ip_bytes(p.get("sip", "fd00::1" if v6 else "10.0.0.1"), i % int(p.get("sip_spread", 1)))
    dip = ip_bytes(p.get("dip", "fd00::2" if v6 else "10.0.0.2"))
    sport = int(p.get("sport", 10000)) + i % int(p.get("sport_spread", 1))
    dport = int(p.get("dport", 9)) + i % int(p.get("dport_spread", 1))
    body = b"ovs-xdp-test-%05d" % i
    if kind == "udp4":
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, udp(sport, dport, body, sip, dip)))
    if kind == "tcp4":
        return eth(dst, src, 0x0800, ipv4(sip, dip, 6, tcp(sport, dport, sip, dip)))
    if kind == "icmp4":
        return eth(dst, src, 0x0800, ipv4(sip, dip, 1, icmp4_echo(i)))
    if kind == "arp":
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src, sip,
                          b"\0" * 6, dip)
        return eth(b"\xff" * 6, src, 0x0806, arp)
    if kind == "udp6":
        return eth(dst, src, 0x86DD, ipv6(sip, dip, 17, udp(sport, dport, body, sip, dip, True)))
    if kind == "tcp6":
        return eth(dst, src, 0x86DD, ipv6(sip, dip, 6, tcp(sport, dport, sip, dip, True)))
    if kind == "icmp6":
        return eth(dst, src, 0x86DD, ipv6(sip, dip, 58, icmp6(sip, dip, 128, 0, struct.pack("!HH", i, 1))))
    if kind == "ns6":
        opt = struct.pack("!BB6s", 1, 1, src)
        return eth(dst, src, 0x86DD, ipv6(sip, dip, 58, icmp6(sip, dip, 135, 0, b"\0" * 4 + dip + opt), 255))
    if kind == "frag4":
        # First fragment (MF set) of a UDP datagram, then the later one.
        seg = udp(sport, dport, body * 4, sip, dip)
        part = 1 if i % 2 == 0 else 0
        data = seg[:32] if part else seg[32:]
        off = 0 if part else 4
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, data, ident=i // 2 + 1, frag=(0x2000 if part else 0) | off))
    if kind == "frag6":
        seg = udp(sport, dport, body * 4, sip, dip, True)
        part = 1 if i % 2 == 0 else 0
        data = seg[:32] if part else seg[32:]
        fh = struct.pack("!BBHI", 17, 0, (0 if part else 4 << 3) | part, i // 2 + 1)
        return eth(dst, src, 0x86DD, ipv6(sip, dip, 44, fh + data))
    if kind == "vlan-udp4":
        vid = int(p.get("vid", 10))
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, udp(sport, dport, body, sip, dip)), [(0x8100, vid)])
    if kind == "qinq-udp4":
        vid = int(p.get("vid", 10))
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, udp(sport, dport, body, sip, dip)), [(0x88A8, 100), (0x8100, vid)])
    if kind == "short-ip4":
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, b"")[:12])
    if kind == "bad-ihl4":
        return eth(dst, src, 0x0800, ipv4(sip, dip, 17, udp(sport, dport, body, sip, dip), ihl=3))
    raise SystemExit("frames.py: unknown kind '%s'" % kind)


def parse_spec(spec):
    kind, _, rest = spec.partition(":")
    params = dict(kv.split("=", 1) for kv in rest.split(",") if kv)
    return kind, params


def send(iface, specs, repeat=1, gap_us=0):
    """Sends every spec's frames, the whole list 'repeat' times, with
    'gap_us' microseconds between frames (so no queue overflows)."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frames = []
    for spec in specs:
        kind, p = parse_spec(spec)
        frames += [build(kind, p, i) for i in range(int(p.get("count", 1)))]
    for _ in range(repeat):
        for f in frames:
            s.send(f)
            if gap_us:
                time.sleep(gap_us / 1e6)
    print("sent %d frames on %s" % (len(frames) * repeat, iface))


def l4_offsets(frame):
    """(start of the TCP/UDP header, offset of its checksum) in an
    Ethernet frame (behind any VLAN tags) carrying IPv4 or IPv6 with TCP
    or UDP right after the IP header; None otherwise."""
    off = 12
    while frame[off:off + 2] in (b"\x81\x00", b"\x88\xa8"):
        off += 4
    etype, ip = frame[off:off + 2], off + 2
    if etype == b"\x08\x00" and len(frame) >= ip + 20:
        l4, proto = ip + (frame[ip] & 0x0F) * 4, frame[ip + 9]
    elif etype == b"\x86\xdd" and len(frame) >= ip + 40:
        l4, proto = ip + 40, frame[ip + 6]
    else:
        return None
    check = {6: 16, 17: 6}.get(proto)
    if check is None or len(frame) < l4 + check + 2:
        return None
    return l4, l4 + check


def complete_partial(frame):
    """skb_checksum_help(): the one's complement sum from the L4 header to
    the end of the frame, over the pseudo-header sum already in the
    checksum field, written complemented; a zero written 0xffff."""
    offs = l4_offsets(frame)
    if offs is None:
        return frame
    l4, check = offs
    c = csum(frame[l4:]) or 0xFFFF
    return frame[:check] + struct.pack("!H", c) + frame[check + 2:]


def partial_flag(ancdata):
    for level, kind, data in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 4:
            return struct.unpack_from("I", data)[0] & TP_STATUS_CSUMNOTREADY
    return 0


def capture(iface, out, seconds):
    """Captures until SECONDS pass or SIGTERM/SIGINT, then flushes."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.settimeout(0.2)
    end = time.monotonic() + float(seconds)
    n = 0
    with open(out, "w") as f:
        while time.monotonic() < end and not stop:
            try:
                data, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(32))
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if partial_flag(anc):
                data = complete_partial(data)
            f.write(data.hex() + "\n")
            n += 1
    print("captured %d frames on %s" % (n, iface))


def main(argv):
    if len(argv) >= 3 and argv[0] == "send":
        opts = {"--repeat": 1, "--gap-us": 0}
        args = argv[1:]
        while args and args[0] in opts:
            opts[args[0]] = int(args[1])
            args = args[2:]
        if len(args) < 2:
            raise SystemExit(__doc__)
        send(args[0], args[1:], opts["--repeat"], opts["--gap-us"])
    elif len(argv) == 4 and argv[0] == "capture":
        capture(argv[1], argv[2], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
