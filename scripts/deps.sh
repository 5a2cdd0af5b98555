#!/bin/bash
# make deps: install, with apt-get, whatever this project needs and the
# machine lacks (Debian 12, as root).  Does nothing when all is there.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs="bc bison flex libelf-dev libssl-dev cpio kmod gcc make libc6-dev git ccache
	pahole python3 python3-ply python3-git xz-utils qemu-system-x86 ovmf busybox-static perl
	makedumpfile"
pkgs="$pkgs ${DEPS_EXTRA:-}"
missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
[ -n "$missing" ] || exit 0
[ "$(id -u)" = 0 ] || die "missing packages: $(echo $missing); install them as root (apt-get install ...)"
log "installing: $(echo $missing)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
