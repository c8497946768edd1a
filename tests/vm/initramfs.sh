#!/bin/sh
# Usage: initramfs.sh KERNEL_TREE
# Builds (or finds in the cache) the guest's initramfs for the kernel unpacked
# by kernel.sh, and prints its path. It holds busybox, the modules needed to
# mount the host's root file system over 9p, and initramfs-init as /init.
# The cache key is the kernel version plus a hash of /init and of this file,
# so editing either rebuilds it, and nothing else does.
set -eu

die() { echo "initramfs.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: initramfs.sh KERNEL_TREE"
tree=$(cd "$1" && pwd) || die "no kernel tree at $1"
here=$(cd "$(dirname "$0")" && pwd)
init=$here/initramfs-init
version=$(basename "$tree")
moddir=$tree/lib/modules/$version
[ -d "$moddir" ] || die "no $moddir"
[ -f "$init" ] || die "no $init"
busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"

# insmod order matters: each module's dependencies come before it.
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay"

key=$(cat "$init" "$0" | sha256sum | cut -c1-16)
cache=${OVS_XDP_CACHE:-/var/cache/ovs-xdp}/initramfs
out=$cache/$version-$key.cpio.gz
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.tmp-$version.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
mkdir -p "$root/bin" "$root/modules" "$root/proc" "$root/sys" "$root/dev" \
	"$root/lower" "$root/rw" "$root/newroot"

# busybox-static needs no libraries; one symlink per applet.
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$root/dev/console" c 5 1
cp "$init" "$root/init"
chmod 755 "$root/init"

# /modules/order lists the .ko files to insmod, in order. A module that this
# kernel has built in needs no loading; one it lacks entirely is reported,
# and the boot will say clearly if it was needed after all.
: >"$root/modules/order"
for m in $MODULES; do
	f=$(modinfo -b "$tree" -k "$version" -F filename "$m" 2>/dev/null | head -n 1) || f=
	case "$f" in
	"") echo "initramfs.sh: note: $version has no module $m, skipping" >&2 ;;
	"(builtin)") ;;
	*.ko) cp "$f" "$root/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$f" >"$root/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$root/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$root/modules/$m.ko" ;;
	*) die "unexpected module file $f" ;;
	esac
	[ ! -f "$root/modules/$m.ko" ] || echo "$m" >>"$root/modules/order"
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmp/initrd.cpio.gz" ||
	die "cpio failed"
# Renaming a file over another is atomic: concurrent builders just race to
# put identical content in place.
mv -f "$tmp/initrd.cpio.gz" "$out"
echo "$out"
