#!/bin/sh
# PID 1 of the guest after switch_root (run from the host's file system).
# Usage (by initramfs-init): guest-init.sh CTL_DIR
# Mounts the fresh kernel file systems and the two read-write shares, runs
# the job that vm-run.sh wrote into CTL_DIR/job.sh, writes its exit status to
# CTL_DIR/status and powers off.
ctl=$1
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

fail() {
	echo "vm-init: FAILED: $*"
	poweroff_now
}

poweroff_now() {
	sync
	# The host's poweroff talks to systemd, which is not running here.
	busybox poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 60
}

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# /run must be the guest's own (OVS sockets, netns bind mounts), not the
# host's copy. /tmp is left alone on purpose: the checkout may live there.
mount -t tmpfs -o mode=755 tmpfs /run || fail "mount /run"
mount -t bpf bpf /sys/fs/bpf || fail "mount bpffs"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

# The shares go last so that they stay visible even under /run. Each is
# mounted at its host path, so host and guest name files the same way.
share_opts=trans=virtio,version=9p2000.L,rw,msize=262144
{ mkdir -p "$ctl" && mount -t 9p -o "$share_opts" vmctl "$ctl"; } || fail "mount 9p vmctl"
# shellcheck disable=SC1091 # written by vm-run.sh: KVER MODDIR STAGE2 OUT
. "$ctl/boot.conf"
{ mkdir -p "$OUT" && mount -t 9p -o "$share_opts" vmout "$OUT"; } || fail "mount 9p vmout at $OUT"

hostname ovs-xdp-vm
ip link set lo up

# vm-run.sh tells "never started" from "started, then died" with this file.
: >"$ctl/started" || fail "cannot write to $ctl"
# A clean environment: job.sh exports the variables chosen on the host.
env -i HOME=/root TERM=dumb /bin/sh "$ctl/job.sh"
rc=$?
echo "$rc" >"$ctl/status.tmp" && mv "$ctl/status.tmp" "$ctl/status"
echo "vm-run: guest script exit status $rc"
poweroff_now
