#!/bin/sh
# ovs-xdpctl as a user meets it without root or a daemon: usage errors,
# a daemon that is not running, global options anywhere on the line (what
# reaches ovs-xdpd seen through a fake one), --help against the command
# list of include/control.h, and the offline planner on a real dump from
# Open vSwitch 3.1 (text and JSON) and on bad input.
# Usage: test-ovs-xdpctl.sh BUILD_DIR SOURCE_DIR
set -u
xdpctl="$1/ovs-xdpctl"
src="$2"
data="$2/tests/data/ovs31"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS CMD...: runs CMD, checks its exit status and that stderr is
# at most one line.
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "$* exited $got, want $want: $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/err")" -le 1 ] || fail "$*: more than one line of error"
}

expect 2 "$xdpctl"
grep -q "no command given" "$tmp/err" || fail "no command: $(cat "$tmp/err")"
expect 2 "$xdpctl" frobnicate
grep -q "unknown command 'frobnicate'" "$tmp/err" || fail "unknown command text"
expect 2 "$xdpctl" --bogus show
expect 0 "$xdpctl" --help
grep -q "dump-flows" "$tmp/out" || fail "--help lists no commands"
expect 0 "$xdpctl" version
grep -q "^ovs-xdpctl (ovs-xdp) " "$tmp/out" || fail "version text"
expect 2 "$xdpctl" version extra

# fake_daemon DIR: answers one request on DIR's control socket, as
# ovs-xdpd would, with the request itself (as "result", and as "output" in
# text mode), so that a test sees what the client sent.
fake_daemon() {
	python3 - "$1/ovs-xdpd.ovs-system.ctl" 2>"$tmp/fake.log" <<'EOF' &
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.bind(sys.argv[1])
s.listen(1)
c, _ = s.accept()
req = b""
while True:
    b = c.recv(65536)
    if not b:
        break
    req += b
r = json.loads(req)
c.sendall(json.dumps({"status": 0, "result": r,
                      "output": json.dumps(r) + "\n"}).encode())
c.close()
EOF
	i=0
	while [ ! -S "$1/ovs-xdpd.ovs-system.ctl" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# sent WANT: the request the fake daemon answered (in $tmp/out) is WANT.
sent() {
	python3 -c '
import json, sys
got, want = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
assert got == want, got
' "$tmp/out" "$1" 2>/dev/null || fail "request $(cat "$tmp/out"), want $1"
}

# No daemon: a clear error naming the socket, status 1.
expect 1 "$xdpctl" --ctl-dir "$tmp" show
grep -q "ovs-xdpd is not running (no control socket at $tmp/" "$tmp/err" ||
	fail "no daemon: $(cat "$tmp/err")"
expect 1 "$xdpctl" --ctl-dir "$tmp" dump-flows

# Global options after the command, as before it: --json is the request's
# mode, not an argument for ovs-xdpd to refuse; -d names the socket; -m
# still travels as dump-flows' own; -v is checked here.
expect 1 "$xdpctl" --ctl-dir "$tmp" dump-flows --json
grep -q "ovs-xdpd is not running" "$tmp/err" || fail "dump-flows --json: $(cat "$tmp/err")"
mkdir "$tmp/fake"
fake_daemon "$tmp/fake"
expect 0 "$xdpctl" --ctl-dir "$tmp/fake" dump-flows --json
wait
sent '{"command": "dump-flows", "args": [], "json": true}'
rm -f "$tmp/fake/"*
fake_daemon "$tmp/fake"
expect 0 "$xdpctl" dump-flows type=offloaded -j --ctl-dir="$tmp/fake" -m
wait
sent '{"command": "dump-flows", "args": ["type=offloaded", "-m"], "json": true}'
expect 1 "$xdpctl" --ctl-dir "$tmp" show -d other
grep -q "no control socket at $tmp/ovs-xdpd.other.ctl" "$tmp/err" ||
	fail "show -d other: $(cat "$tmp/err")"
expect 2 "$xdpctl" show -v bogus
grep -q "unknown log level 'bogus'" "$tmp/err" || fail "show -v bogus: $(cat "$tmp/err")"
expect 0 "$xdpctl" version --json
grep -q '^{"version": ' "$tmp/out" || fail "version --json: $(cat "$tmp/out")"

# --help, anywhere, lists every command of include/control.h's list, once.
names=$(sed -n 's/^[[:space:]]*X([A-Z_]*, *"\([^"]*\)".*/\1/p' "$src/include/control.h")
expect 0 "$xdpctl" plan --help
n_list=$(echo "$names" | grep -c .)
n_help=$(sed -n '/^Commands:/,/^Options:/p' "$tmp/out" | grep -c '^  [a-z]')
[ "$n_list" -gt 0 ] && [ "$n_help" -eq "$n_list" ] ||
	fail "--help lists $n_help commands, include/control.h $n_list"
for name in $names; do
	grep -q "^  $name " "$tmp/out" || fail "--help does not list $name"
done

# The offline planner on a real dump.
expect 0 "$xdpctl" plan --internal 1 "$data/varied/dpctl.txt"
n=$(grep -c . "$data/varied/dpctl.txt")
judged=$(grep -c "^offloaded: \|^kernel (" "$tmp/out")
[ "$judged" -eq "$n" ] || fail "plan judged $judged of $n flows"
grep -q "^summary: $n flows, " "$tmp/out" || fail "plan summary: $(tail -n 8 "$tmp/out")"
grep -q "kernel (recirc_id is not 0): recirc_id(0x1)" "$tmp/out" || fail "recirc verdict"
grep -q "kernel (action not supported: ct): " "$tmp/out" || fail "ct verdict"
grep -q "kernel (output port cannot receive XDP frames: port 1 " "$tmp/out" ||
	fail "output to the internal port 1"
grep -q "^offloaded: recirc_id(0),in_port(2),eth(),eth_type(0x0800),ipv4(dst=10.0.0.99,frag=no).*actions:drop" "$tmp/out" ||
	fail "drop flow offloaded"

# The same from stdin, as JSON, with port names (ovs-appctl -m).
expect 0 sh -c "\"$xdpctl\" --json plan - <\"$data/varied/appctl-m.txt\""
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["flows"] == len(d["flows"]) == int(sys.argv[2]), s
assert s["offloaded_flows"] == sum(f["offloaded"] for f in d["flows"])
assert all((f["reason"] is None) == f["offloaded"] for f in d["flows"])
' "$tmp/out" "$(grep -c . "$data/varied/appctl-m.txt")" || fail "plan --json"

# Bad input: one line naming the line and column, status 1.
printf 'recirc_id(0),in_port(2),eth(),eth_type(0x0800), packets:0, bytes:0, used:never, actions:2\nin_port(1),bogus(3), actions:2\n' >"$tmp/bad.txt"
expect 1 "$xdpctl" plan "$tmp/bad.txt"
grep -q "^ovs-xdpctl: plan: line 2: " "$tmp/err" || fail "bad input error: $(cat "$tmp/err")"
expect 1 "$xdpctl" plan "$tmp/nonexistent"
grep -q "cannot open" "$tmp/err" || fail "missing file error"
expect 2 "$xdpctl" plan a b

# Options after the command's input, and "--": global options end there,
# and what follows goes to the command as it is (its own getopt included).
expect 0 "$xdpctl" --json plan "$data/varied/dpctl.txt"
mv "$tmp/out" "$tmp/before.json"
expect 0 "$xdpctl" plan "$data/varied/dpctl.txt" --json
cmp -s "$tmp/before.json" "$tmp/out" || fail "plan FILE --json differs from --json plan FILE"
expect 0 "$xdpctl" plan --json -- "$data/varied/dpctl.txt"
cmp -s "$tmp/before.json" "$tmp/out" || fail "plan --json -- FILE differs from --json plan FILE"
expect 1 "$xdpctl" plan -- --json
grep -q "plan: cannot open --json" "$tmp/err" || fail "plan -- --json: $(cat "$tmp/err")"
expect 1 "$xdpctl" --ctl-dir "$tmp" -- show
grep -q "ovs-xdpd is not running" "$tmp/err" || fail "-- show: $(cat "$tmp/err")"

[ "$fails" -eq 0 ] && echo "all ovs-xdpctl checks passed"
exit $((fails != 0))
