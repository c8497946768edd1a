#!/bin/sh
# run-system-test.sh BUILD_DIR OUT_DIR SCENARIO: boots the test VM and runs
# SCENARIO in it with OVS_XDP_BUILD=BUILD_DIR; artifacts land in OUT_DIR.
# Exits with the scenario's status; 77 (skipped) when not root, since the
# guest needs qemu with the host's root file system.
# A scenario asks for guest hardware with a line "# vm-run: OPTIONS" (for
# example --nic-pair, or --timeout N for more time), passed to vm-run.sh.
# The guest is bounded by 570 s, or by the scenario's --timeout: a scenario
# takes 1-3 minutes on an idle host and up to 5 on a busy one; ctest's own
# limit is 30 s more (tests/system/CMakeLists.txt), so the guest's is met
# first and says why.  OVS_XDP_VM_TIMEOUT, when set, overrides both.
set -eu
build=$1 out=$2 scenario=$3
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: system tests need root (qemu with the host file system)"
	exit 77
fi
rm -rf "$out"
mkdir -p "$out"
export OVS_XDP_BUILD="$build"
export OVS_XDP_SRC="$(cd "$here/../.." && pwd)"
vm_opts=$(sed -n 's/^# vm-run: //p' "$scenario")
# shellcheck disable=SC2086 # the options are words
# The guest's time: 570 s, or what the scenario asks for, or (last, so it
# wins) OVS_XDP_VM_TIMEOUT.
exec "$here/../vm/vm-run.sh" --timeout 570 --mem 3072 --share "$out" $vm_opts \
	${OVS_XDP_VM_TIMEOUT:+--timeout "$OVS_XDP_VM_TIMEOUT"} "$scenario"
