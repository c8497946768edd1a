#!/bin/sh
# ovs-xdpd's failures before it runs, as an operator sees them: one line
# naming what failed, exit status 1, nothing left behind.  Needs root (the
# daemon refuses to start otherwise); the faults come from the LD_PRELOAD
# injector (tests/tools/fault-inject.c).  The notification socket failing
# under a running agent is tested in the VM (system/daemon-errors).
# Usage: test-daemon-errors.sh BUILD_DIR SOURCE_DIR
set -u
xdpd="$1/ovs-xdpd"
fault="$1/tests/libovsx-fault.so"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run NAME VAR=VALUE...: ovs-xdpd with the injector and these variables.
run() {
	name=$1
	shift
	env LD_PRELOAD="$fault" "$@" "$xdpd" --ctl-dir "$tmp/ctl" \
		--metrics none >"$tmp/$name.out" 2>&1 </dev/null &
	pid=$!
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then # 30 s: it hangs
			kill -9 "$pid"
			fail "$name: ovs-xdpd did not exit"
			break
		fi
		sleep 0.1
	done
	wait "$pid"
	rc=$?
}

# The signalfd cannot join the event loop: said, not a silent exit.
run epoll OVSX_FAULT_EPOLL_CTL=1
[ "$rc" -eq 1 ] || fail "epoll fault: status $rc"
grep -q "cannot set up the event loop: Cannot allocate memory" "$tmp/epoll.out" ||
	fail "epoll fault: $(cat "$tmp/epoll.out")"

# No openvswitch module (this host's kernel has none): said as such.
if [ ! -d /sys/module/openvswitch ]; then
	run nomodule
	[ "$rc" -eq 1 ] || fail "no module: status $rc"
	grep -q "the openvswitch kernel module is not loaded" "$tmp/nomodule.out" ||
		fail "no module: $(cat "$tmp/nomodule.out")"
fi
[ -z "$(ls -A "$tmp/ctl" 2>/dev/null)" ] || fail "control socket left behind"

[ "$fails" -eq 0 ] && echo "daemon start errors: all named"
[ "$fails" -eq 0 ]
