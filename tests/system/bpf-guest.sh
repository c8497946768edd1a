#!/bin/sh
# The BPF tier on the guest's kernel: the XDP program must load, pass the
# verifier and behave the same on Debian 12's 6.1 as on the host's kernel.
# Runs every bpf-test-* binary of the build inside the guest; a binary
# that skips counts as a failure here, since the guest has all it needs.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"

kver=$(uname -r)
vm_log "BPF tier on kernel $kver"
found=0
failed=
for t in "$OVS_XDP_BUILD"/tests/bpf/bpf-test-*; do
	[ -x "$t" ] || continue
	found=$((found + 1))
	name=$(basename "$t")
	vm_log "$name"
	rc=0
	timeout -k 5 300 "$t" >"$VM_OUT/$name.log" 2>&1 || rc=$?
	cat "$VM_OUT/$name.log"
	[ "$rc" -eq 0 ] || failed="$failed $name(exit $rc)"
done
[ "$found" -gt 0 ] || vm_die "no bpf-test-* binaries in $OVS_XDP_BUILD/tests/bpf"
[ -z "$failed" ] || vm_die "on $kver:$failed"
vm_log "PASS: $found BPF test binaries on $kver"
