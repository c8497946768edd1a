#!/bin/sh
# The unit tests and the fuzzers link only the pure stages (engine and
# below): none of their binaries needs libnl or libbpf.  An include or a
# link that pulls the kernel-facing code into them fails here.
# Usage: test-pure-links.sh BUILD_DIR
set -u
cd "$1/tests" || exit 1
command -v ldd >/dev/null || { echo "SKIP: no ldd"; exit 77; }
n=0 bad=0
for bin in test-* fuzz/fuzz-*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	n=$((n + 1))
	libs=$(ldd "$bin" | grep -o 'lib\(nl\|bpf\)[^ ]*' | tr '\n' ' ')
	if [ -n "$libs" ]; then
		echo "FAIL: $bin links $libs"
		bad=$((bad + 1))
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no unit test binary found in $1/tests"; exit 1; }
echo "$n binaries, $bad linking libnl or libbpf"
[ "$bad" -eq 0 ]
