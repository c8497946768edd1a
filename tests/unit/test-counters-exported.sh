#!/bin/sh
# Every counter the mirror and the engine keep reaches `ovs-xdpctl stats`
# and /metrics: each field of struct mirror_stats and struct engine_stats
# is read in ctl/ovs-xdpd/counters.c, which renders both.
# Usage: test-counters-exported.sh SOURCE_DIR
set -u
cd "$1" || exit 1
fields() { # HEADER STRUCT: the struct's field names, one a line
	sed -n "/^struct $2 {/,/^};/p" "$1" | sed '1d;$d' |
		sed 's,/\*.*\*/,,; s,/\*.*,,; s,^[^a-z]*\*.*,,' |
		grep -o 'uint64_t [^;]*' | sed 's/uint64_t //; s/\[[^]]*\]//g' |
		tr ',' '\n' | tr -d ' ' | grep .
}
bad=0 n=0
for spec in offload/engine/include/mirror.h:mirror_stats \
	offload/engine/include/engine.h:engine_stats; do
	for f in $(fields "${spec%%:*}" "${spec##*:}"); do
		n=$((n + 1))
		grep -q "st->$f\b" ctl/ovs-xdpd/counters.c ||
			{ echo "FAIL: ${spec##*:}.$f is not exported"; bad=$((bad + 1)); }
	done
done
[ "$n" -ge 10 ] || { echo "FAIL: found only $n fields: the parser is off"; exit 1; }
echo "$n counters, $bad not exported"
[ "$bad" -eq 0 ]
