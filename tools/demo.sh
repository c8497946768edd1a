#!/bin/sh
# The demo command of README.md: installs what is missing, builds, boots the
# test VM with real Open vSwitch and shows ovs-xdp at work on it.
# Usage (root): tools/demo.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVS_XDP_BUILD_DIR:-$top/build}

"$top/tools/install-deps.sh"
CC=${CC:-clang} cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
out="$build/demo"
rm -rf "$out"
mkdir -p "$out"
OVS_XDP_BUILD="$build" OVS_XDP_SRC="$top" \
	exec "$top/tests/vm/vm-run.sh" --timeout 300 --mem 3072 --share "$out" \
	"$top/tools/demo-guest.sh"
