#!/bin/sh
# Fetches the stock Debian kernel that linux-image-amd64 points at, unpacks it
# (never installs it) into the cache and prints the path of the unpacked tree:
#   $OVS_XDP_CACHE/kernel/<version>/{boot/vmlinuz-<version>,lib/modules/<version>}
# The host kernel has no openvswitch module, so system tests boot this one in qemu.
#
# Idempotent: a tree that is already in the cache is used as it is, without
# any network access. Safe against concurrent and interrupted runs: everything
# is prepared in a private temporary folder and then renamed into place in one
# step, so a half-made tree is never visible under its final name.
set -eu

cache=${OVS_XDP_CACHE:-/var/cache/ovs-xdp}/kernel

die() { echo "kernel.sh: $*" >&2; exit 1; }

# The metapackage only depends on the versioned image package
# (linux-image-6.1.0-NN-amd64); that one carries the kernel and its modules.
image_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

pkg=$(image_pkg)
if [ -z "$pkg" ]; then
	# A fresh machine may not have package lists yet; fetch them once.
	timeout 300 apt-get update -qq >&2 || die "apt-get update failed"
	pkg=$(image_pkg)
fi
[ -n "$pkg" ] || die "cannot find the package that linux-image-amd64 depends on (apt-cache depends linux-image-amd64)"
version=${pkg#linux-image-}
final=$cache/$version

if [ -f "$final/.complete" ]; then
	echo "$final"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.tmp-$version.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "kernel.sh: fetching $pkg into $final" >&2
# apt-get download writes into the current folder; its sandbox user cannot
# write into a root-only mktemp folder, hence the unsandboxed option.
(cd "$tmp" && timeout 600 apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) ||
	die "apt-get download $pkg failed"
set -- "$tmp"/*.deb
deb=$1
[ -f "$deb" ] || die "apt-get download $pkg produced no .deb"
mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root" || die "dpkg-deb -x $deb failed"
rm -f "$deb"

[ -f "$tmp/root/boot/vmlinuz-$version" ] || die "$pkg has no boot/vmlinuz-$version"
[ -d "$tmp/root/lib/modules/$version" ] || die "$pkg has no lib/modules/$version"
# modules.dep and friends are made by depmod at install time, not shipped.
depmod -b "$tmp/root" "$version" || die "depmod -b failed"
touch "$tmp/root/.complete"

# rename(2) onto an existing non-empty folder fails: whoever loses the race
# simply uses the winner's tree.
if ! mv -T "$tmp/root" "$final" 2>/dev/null; then
	[ -f "$final/.complete" ] || die "cannot rename $tmp/root to $final"
fi
echo "$final"
