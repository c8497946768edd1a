#!/bin/bash
# Usage: vm-run.sh [--timeout SEC] [--mem MB] [--log FILE] [--share DIR] [--nic-pair] SCRIPT [ARGS...]
#
# Boots a qemu guest with Debian's stock kernel (which, unlike the host's,
# has openvswitch.ko) on top of the host's own root file system, and runs
# SCRIPT ARGS... in it as root, in the current directory. Exits with the
# script's exit status; 124 on timeout; 125 when the harness or the guest
# failed before a status came back. See README.md.
set -u

me=vm-run
die() { echo "$me: $*" >&2; exit 125; }
usage() {
	sed -n '2p' "$0" | sed 's/^# //' >&2
	exit 125
}

timeout_s=300
mem=2048
log=
share=
nic_pair=
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--log) [ $# -ge 2 ] || usage; log=$2; shift 2 ;;
	--share) [ $# -ge 2 ] || usage; share=$2; shift 2 ;;
	--nic-pair) nic_pair=1; shift ;;
	--help | -h) usage ;;
	--) shift; break ;;
	-*) echo "$me: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants a number of seconds, not '$timeout_s'"
[[ "$mem" =~ ^[1-9][0-9]*$ ]] || die "--mem wants a number of MB, not '$mem'"

[ "$(id -u)" -eq 0 ] || die "must run as root (qemu exports the host's / to the guest)"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found (tools/install-deps.sh installs it)"
[ -f "$1" ] || die "no script $1"
script=$(realpath "$1") || die "cannot resolve $1"
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cwd=$(pwd -P)

# Per-run folders. ctl holds the job, the status and the console log, and
# goes away at the end; out (VM_OUT) is kept for the caller to read.
run=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX") || die "mktemp failed"
ctl=$run/ctl
mkdir "$ctl"
made_out=0
if [ -n "$share" ]; then
	mkdir -p "$share" || die "cannot create --share $share"
	out=$(cd "$share" && pwd -P)
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/vm-out.XXXXXX") || die "mktemp failed"
	made_out=1
fi
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	rm -rf "$run"
	# An empty default output folder is not worth keeping.
	if [ "$made_out" -eq 1 ]; then rmdir "$out" 2>/dev/null; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The kernel command line is split on blanks: keep them out of the one path
# it carries. Other paths travel in files.
case "$ctl" in *[[:space:]]*) die "temporary folder path has blanks: $ctl (set TMPDIR)" ;; esac

kernel=$("$here/kernel.sh") || die "could not get the guest kernel (see above)"
kver=$(basename "$kernel")
initrd=$("$here/initramfs.sh" "$kernel") || die "could not build the initramfs (see above)"

# Quotes a value for the guest's /bin/sh.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

{
	echo "KVER=$(q "$kver")"
	echo "MODDIR=$(q "$kernel/lib/modules/$kver")"
	echo "STAGE2=$(q "$here/guest-init.sh")"
	echo "OUT=$(q "$out")"
} >"$ctl/boot.conf"

{
	echo "cd $(q "$cwd") || exit 125"
	echo "export VM_OUT=$(q "$out")"
	# The system's PATH, not the caller's: toolchain shims under $HOME
	# (pyenv...) are slow over 9p and not what a scenario wants.
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for name in $(compgen -e); do
		case "$name" in OVS_XDP_*) echo "export $name=$(q "${!name}")" ;; esac
	done
	# Like a shell would: run it directly if it can be, else feed it to sh.
	if [ -x "$script" ]; then printf 'exec %s' "$(q "$script")"; else printf 'exec /bin/sh %s' "$(q "$script")"; fi
	for arg in "$@"; do printf ' %s' "$(q "$arg")"; done
	echo
} >"$ctl/job.sh"

console=${log:-$ctl/console.log}
: >"$console" || die "cannot write the log $console"

# Software emulation (no /dev/kvm). -nodefaults: no NIC, no VGA, no monitor;
# the serial console is the only output. stdin is /dev/null so that qemu
# never puts a terminal into raw mode, and Ctrl-C stops it.
qemu_args=(
	-machine q35 -cpu max -smp 2 -m "$mem"
	-nodefaults -display none -no-reboot -serial stdio
	-kernel "$kernel/boot/vmlinuz-$kver" -initrd "$initrd"
	-append "console=ttyS0 quiet panic=-1 vmrun.ctl=$ctl"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$ctl,mount_tag=vmctl,security_model=none,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=vmout,security_model=none,multidevs=remap"
)

# --nic-pair: two virtio-net NICs wired back to back, each one's frames
# carried to the other over a UDP socket on the host's loopback, so that
# XDP runs in native mode on a real driver (virtio_net) as input and as
# redirect target.  virtio_net refuses XDP while the host side offers
# guest offloads (TSO, ECN, UFO, checksum: "Can't set XDP while host is
# implementing GRO_HW/CSUM"); the socket backend has no virtio-net header
# and offers none, and the properties below say so explicitly.  In the
# guest: modprobe virtio_net; the NICs have MACs 52:54:00:5a:00:01 and
# 52:54:00:5a:00:02.
if [ -n "$nic_pair" ]; then
	# Two free UDP ports of the loopback (asked of the kernel, then freed
	# for qemu to bind: a race only with another binder of the same port).
	read -r port_a port_b < <(python3 -c '
import socket
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])') || die "cannot find two free UDP ports for --nic-pair"
	nic_props=csum=off,guest_csum=off,gso=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off,host_tso4=off,host_tso6=off,host_ecn=off,host_ufo=off
	qemu_args+=(
		-netdev "socket,id=wire1,udp=127.0.0.1:$port_b,localaddr=127.0.0.1:$port_a"
		-device "virtio-net-pci,netdev=wire1,mac=52:54:00:5a:00:01,$nic_props"
		-netdev "socket,id=wire2,udp=127.0.0.1:$port_a,localaddr=127.0.0.1:$port_b"
		-device "virtio-net-pci,netdev=wire2,mac=52:54:00:5a:00:02,$nic_props"
	)
fi

start=$SECONDS
if [ -n "$log" ]; then
	timeout -k 5 "$timeout_s" "$qemu" "${qemu_args[@]}" </dev/null >"$console" 2>&1
	qrc=$?
else
	timeout -k 5 "$timeout_s" "$qemu" "${qemu_args[@]}" </dev/null 2>&1 | tee "$console"
	qrc=${PIPESTATUS[0]}
fi
took=$((SECONDS - start))

# On a failure with the console in a file, show its end.
show_log_tail() {
	if [ -n "$log" ]; then
		echo "$me: last lines of $log:" >&2
		tail -n 20 "$log" >&2
	fi
}

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	show_log_tail
	echo "$me: TIMEOUT: guest killed after ${timeout_s}s (--timeout), script $script" >&2
	exit 124
fi
if [ -f "$ctl/status" ]; then
	rc=$(cat "$ctl/status")
	[[ "$rc" =~ ^[0-9]+$ ]] || die "unreadable exit status '$rc' from the guest"
	if [ "$rc" -ne 0 ]; then show_log_tail; fi
	[ "$made_out" -eq 0 ] || [ -z "$(ls -A "$out")" ] || echo "$me: guest output kept in $out" >&2
	echo "$me: $(basename "$script") exited $rc in ${took}s" >&2
	exit "$rc"
fi

# No status: say why as precisely as the console allows.
show_log_tail
reason=$(grep -a -m1 -e 'vm-init: FAILED' -e 'Kernel panic' "$console" | tr -d '\r')
if [ -n "$reason" ]; then
	die "guest failed: $reason"
elif [ ! -s "$console" ]; then
	die "guest printed nothing and returned no exit status (qemu exit $qrc; too little --mem?)"
elif [ -f "$ctl/started" ]; then
	die "guest started the script but returned no exit status (qemu exit $qrc)"
else
	die "guest never started the script (qemu exit $qrc)"
fi
