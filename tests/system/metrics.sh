#!/bin/sh
# The Prometheus endpoint: /metrics passes `promtool check metrics`, a real
# Prometheus server scrapes it and answers queries over its data, and the
# numbers agree with `ovs-xdpctl stats`.  Bad --metrics values are refused.
#
# Timing: /metrics and Prometheus are polled until they show what is
# checked; the ping that gives Prometheus something to see runs until the
# queries are answered; ovs-vswitchd keeps its megaflows (ovs_keep_flows:
# max-idle 10 s -> 600 s, max-revalidator 500 ms -> 20 s), so that the
# flows Prometheus counted are still the agent's when the counts are
# compared.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2

# Refused before anything starts: one line, usage status 2.
rc=0
"$xdpd" --metrics nonsense --ctl-dir "$VM_OUT/ctl-bad" 2>"$VM_OUT/bad.txt" || rc=$?
[ "$rc" -eq 2 ] || vm_die "--metrics nonsense: exit status $rc"
[ "$(cat "$VM_OUT/bad.txt")" = "ovs-xdpd: bad --metrics 'nonsense' (want ADDR:PORT, [ADDR6]:PORT or none)" ] ||
	vm_die "unclear error: $(cat "$VM_OUT/bad.txt")"

agent_start --metrics 127.0.0.1:9477
ns_ping ns1 10.0.0.2 20
cat >"$VM_OUT/want-metrics.txt" <<'EOF'
ovs_xdp_build_info{version=
ovs_xdp_flows{verdict="offloaded"}
ovs_xdp_fastpath_events_total{event="redirect"}
ovs_xdp_keepalive_packets_total
ovs_xdp_port_xdp_packets_total{port="ovs-ns1"}
ovs_xdp_table_capacity{table="flows"} 65536
ovs_xdp_sync_lag_seconds_bucket{le="+Inf"}
ovs_xdp_reconciles_total
ovs_xdp_ports{mode="native"} 2
ovs_xdp_bpf_errors_total{kind="map_update"} 0
ovs_xdp_mirror_changes_total{change="add"}
ovs_xdp_engine_operations_total{operation="install"}
ovs_xdp_mirror_fetches_total
ovs_xdp_flow_count_mismatches_total
ovs_xdp_fastpath_events_total{event="pass_tcp_control"}
EOF
# metrics_complete: a scrape of /metrics in $VM_OUT/metrics.txt that has
# every line of want-metrics.txt (those it lacks go to missing.txt).
metrics_complete() {
	timeout 60 curl -sf -o "$VM_OUT/metrics.txt" http://127.0.0.1:9477/metrics || return 1
	while IFS= read -r m; do
		grep -qF -- "$m" "$VM_OUT/metrics.txt" || printf '%s\n' "$m"
	done <"$VM_OUT/want-metrics.txt" >"$VM_OUT/missing.txt"
	[ ! -s "$VM_OUT/missing.txt" ]
}
deadline=$(($(_vm_uptime) + 60))
until metrics_complete; do
	[ "$(_vm_uptime)" -lt "$deadline" ] ||
		vm_die "not in /metrics: $(tr '\n' ' ' <"$VM_OUT/missing.txt" 2>/dev/null)"
	sleep 0.5
done
promtool check metrics <"$VM_OUT/metrics.txt" >"$VM_OUT/promtool.txt" 2>&1 ||
	vm_die "promtool check metrics: $(cat "$VM_OUT/promtool.txt")"
[ ! -s "$VM_OUT/promtool.txt" ] || vm_die "promtool found problems: $(cat "$VM_OUT/promtool.txt")"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9477/nothing)
[ "$code" = 404 ] || vm_die "/nothing answered $code"

# The same counter through the control socket.
s=$("$xdpctl" --json stats | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["ovs_xdp_reconciles_total"]))')
m=$(sed -n 's/^ovs_xdp_reconciles_total \([0-9]*\)$/\1/p' "$VM_OUT/metrics.txt")
[ "$s" -ge "$m" ] || vm_die "stats ($s) behind /metrics ($m)"

vm_log "a Prometheus server scrapes the agent (traffic keeps flows alive)"
# Until the queries are answered.
ns_ping_start ns1 10.0.0.2 0.2
cat >"$VM_OUT/prometheus.yml" <<'YML'
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ovs-xdp
    static_configs:
      - targets: ['127.0.0.1:9477']
YML
# Its storage needs mmap, which the 9p share of $VM_OUT lacks: tmpfs.
mkdir -p /run/prom
prometheus --config.file="$VM_OUT/prometheus.yml" --storage.tsdb.path=/run/prom \
	--web.listen-address=127.0.0.1:9090 >"$VM_OUT/prometheus.log" 2>&1 &
prom_pid=$!
vm_wait_for "Prometheus to be ready" 240 curl -sf http://127.0.0.1:9090/-/ready
query() {
	curl -sf --max-time 30 --get http://127.0.0.1:9090/api/v1/query --data-urlencode "query=$1"
}
vm_wait_for "a scrape with data" 60 sh -c \
	"curl -sf --get http://127.0.0.1:9090/api/v1/query --data-urlencode 'query=ovs_xdp_flows{verdict=\"offloaded\"}' | grep -q '\"value\"'"
# flows_agree: Prometheus' last scrape counts as many flows as the agent
# (to within 2), and some.
flows_agree() {
	query 'sum(ovs_xdp_flows)' >"$VM_OUT/query.json" || return 1
	flows=$("$xdpctl" --json show | python3 -c 'import json,sys; print(json.load(sys.stdin)["flows"])')
	python3 - "$VM_OUT/query.json" "$flows" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "success", r
value = float(r["data"]["result"][0]["value"][1])
# The flows of the pings are still there (ovs_keep_flows).
assert value > 0 and abs(value - float(sys.argv[2])) <= 2, (value, sys.argv[2])
print("Prometheus: sum(ovs_xdp_flows) =", value)
PY
}
# A scrape may be a few seconds old on a busy host: polled.
deadline=$(($(_vm_uptime) + 60))
until flows_agree; do
	[ "$(_vm_uptime)" -lt "$deadline" ] || vm_die "Prometheus' answer: $(cat "$VM_OUT/query.json")"
	sleep 1
done
vm_wait_for "the scrape target to be up" 60 sh -c \
	"curl -sf --get http://127.0.0.1:9090/api/v1/query --data-urlencode 'query=up{job=\"ovs-xdp\"}' | grep -q '\"1\"'"
vm_wait_for "Prometheus to see a redirected frame" 60 sh -c \
	"curl -sf --get http://127.0.0.1:9090/api/v1/query --data-urlencode 'query=ovs_xdp_fastpath_events_total{event=\"redirect\"} > 0' | grep -q '\"value\"'"
kill "$prom_pid"
kill -INT "$PING_PID"
wait "$PING_PID" || true
agent_stop
vm_log "PASS: promtool clean, Prometheus scraped and answered"
