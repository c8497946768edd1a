#!/bin/sh
# Installs every Debian 12 package that the build, the tests, the demo and the
# benchmarks of ovs-xdp need. Idempotent: packages already present are skipped,
# and apt is not touched at all when nothing is missing.
set -eu

PACKAGES="
  build-essential cmake pkg-config git clang-format
  clang llvm libclang-rt-14-dev
  libbpf-dev bpftool linux-libc-dev libelf-dev zlib1g-dev
  libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
  libmicrohttpd-dev libjansson-dev
  iproute2 ethtool iputils-ping procps tcpdump curl python3
  qemu-system-x86 busybox-static kmod cpio
  openvswitch-switch
  prometheus
  iperf3 gnuplot-nox
"

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (apt-get install)" >&2
	exit 1
fi

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Open vSwitch and Prometheus are used as programs only: the host kernel has no
# openvswitch module, and tests start their own Prometheus. Keep their
# services from being started by the package scripts.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	made_policy=1
fi
cleanup() {
	if [ "$made_policy" -eq 1 ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
