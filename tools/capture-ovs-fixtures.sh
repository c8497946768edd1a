#!/bin/sh
# Captures test fixtures from real Open vSwitch in the test VM: the text of
# ovs-dpctl / ovs-appctl dump-flows (plain and -m) and the raw netlink
# messages of the same flows, datapath and vports, into tests/data/ovs31/.
# Run as root after a build; commit what it writes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVS_XDP_BUILD_DIR:-$top/build}
out="$top/tests/data/ovs31"
mkdir -p "$out"
cmake --build "$build" --target ovsx-nlcapture >/dev/null
OVS_XDP_BUILD="$build" OVS_XDP_SRC="$top" \
	exec "$top/tests/vm/vm-run.sh" --timeout 400 --mem 3072 --share "$out" \
	"$top/tools/capture-ovs-fixtures-guest.sh"
