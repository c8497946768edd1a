#!/usr/bin/env python3
"""Writes UDP datagrams into a tap the way vhost-net does for a VM whose
virtio-net NIC offloads checksums: the tap opened with IFF_VNET_HDR, every
frame behind a virtio_net_hdr with VIRTIO_NET_HDR_F_NEEDS_CSUM, and only
the pseudo-header sum in the UDP checksum field (the kernel, or whatever
forwards the frame, completes it).  The datagrams are stream-check.py's,
so `stream-check.py recv udp PORT COUNT` on the receiver counts them.

  vnet-tap-send.py [--nonblock] [--complete] TAP SRC_MAC DST_MAC SRC_IP
                   DST_IP PORT FIRST COUNT

Datagrams FIRST .. FIRST+COUNT-1.  --nonblock opens the tap non-blocking,
as QEMU does: tun then builds small frames as xdp_buffs and runs native XDP
on them (tun_build_skb()); a blocking writer's frames become skbs first,
marked CHECKSUM_PARTIAL, on which tun runs the same program
(do_xdp_generic()).  vhost-net's own path (tun_xdp_one()) is the former
kind.  --complete writes full checksums without NEEDS_CSUM, as a VM
without checksum offload does.  Exit: 0 written, 1 error, 2 usage."""
import fcntl
import importlib.util
import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    spec = importlib.util.spec_from_file_location(
        name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


frames = load("frames")
stream = load("stream-check")

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
NEEDS_CSUM = 1
ETH_LEN, IP_LEN = 14, 20


def partial_udp(sport, dport, body, sip, dip):
    """A UDP segment whose checksum holds the pseudo-header sum alone, as
    a stack leaves it for the device (not complemented: ~csum() undoes
    frames.csum's complement)."""
    seg_len = 8 + len(body)
    pseudo = sip + dip + struct.pack("!BBH", 0, 17, seg_len)
    psum = ~frames.csum(pseudo) & 0xFFFF
    return struct.pack("!HHHH", sport, dport, seg_len, psum) + body


def main(argv):
    opts = set()
    while len(argv) > 1 and argv[1] in ("--nonblock", "--complete"):
        opts.add(argv.pop(1))
    if len(argv) != 9:
        print(__doc__, file=sys.stderr)
        return 2
    tap, smac, dmac, sip, dip = argv[1:6]
    port, first, count = (int(a) for a in argv[6:9])
    flags = os.O_RDWR | (os.O_NONBLOCK if "--nonblock" in opts else 0)
    fd = os.open("/dev/net/tun", flags)
    ifr = struct.pack("16sH", tap.encode(), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    sip_b, dip_b = socket.inet_aton(sip), socket.inet_aton(dip)
    # virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start,
    # csum_offset (the default vnet header size, 10 bytes, little endian).
    complete = "--complete" in opts
    vnet = struct.pack("<BBHHHH", 0 if complete else NEEDS_CSUM, 0, 0, 0,
                       ETH_LEN + IP_LEN if not complete else 0,
                       0 if complete else 6)
    for i in range(first, first + count):
        if complete:
            seg = frames.udp(40000, port, stream.datagram(i), sip_b, dip_b)
        else:
            seg = partial_udp(40000, port, stream.datagram(i), sip_b, dip_b)
        frame = frames.eth(frames.mac_bytes(dmac), frames.mac_bytes(smac),
                           0x0800, frames.ipv4(sip_b, dip_b, 17, seg,
                                               ident=i & 0xFFFF))
        os.write(fd, vnet + frame)
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
