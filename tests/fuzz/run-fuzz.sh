#!/bin/sh
# run-fuzz.sh BINARY SEED_DIR SECONDS: a short libFuzzer run.  New inputs go
# to a scratch directory, so the committed seed corpus is only read.
set -eu
bin=$1 seeds=$2 seconds=$3
[ -d "$seeds" ] || { echo "run-fuzz: no seed corpus at $seeds" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cd "$work"
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 "$work/corpus" "$seeds"
