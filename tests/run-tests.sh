#!/bin/sh
# The test command of README.md: installs what is missing, builds, and runs
# every tier (unit, fuzz, bpf, netns, system) with ctest.  Extra arguments go
# to ctest, e.g. `tests/run-tests.sh -L unit` or `-R mirror`.
# The last line is the summary: total, passed, failed, skipped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVS_XDP_BUILD_DIR:-$top/build}

"$top/tools/install-deps.sh"
CC=${CC:-clang} cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

junit="$build/ctest-junit.xml"
rm -f "$junit"
status=0
(cd "$build" && ctest --output-on-failure -j2 --output-junit "$junit" "$@") || status=$?

# ctest's own summary hides skips among "passed"; count them apart.
if [ -f "$junit" ]; then
	# The first occurrence of each attribute is the <testsuite>'s.
	attr() { grep -o "$1=\"[0-9]*\"" "$junit" | head -n1 | tr -dc 0-9; }
	total=$(attr tests) failed=$(attr failures) skipped=$(attr skipped)
	echo "tests: ${total:-0} total, $((${total:-0} - ${failed:-0} - ${skipped:-0})) passed, ${failed:-0} failed, ${skipped:-0} skipped"
else
	echo "tests: no result file (ctest status $status)"
fi
exit "$status"
