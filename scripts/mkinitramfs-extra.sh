#!/bin/bash
# make initramfs-extra: build/initramfs-extra.cpio.gz, a second archive for
# the distro scenarios (tests/distro/), appended by scripts/run-tests.sh for
# a scenario that sets EXTRA_INITRD=1.  Needs stress-ng, libnuma-dev and
# libcap-dev ("make test-distro" installs them).
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
# A second archive, build/initramfs-extra.cpio.gz, holds what only some
# scenarios need and what would make every boot slower (EXTRA_INITRD=1 in a
# scenario appends it; the kernel unpacks concatenated archives): the
# mm selftests and stress-ng with their libraries.
xroot=$BUILD/initramfs-extra
rm -rf "$xroot"
mkdir -p "$xroot/bin"
# The kernel's own mm selftests (tools/testing/selftests/vm of the tree,
# unchanged; tests/guest/vm_selftests.sh runs them), built against Debian's
# linux-libc-dev (6.1's uapi headers) and dynamically linked like bash.
# run_vmtests.sh runs one test as "sudo -u nobody": a user to switch to and
# a minimal sudo that does only that, with busybox's su.
vmsel=$BUILD/vm-selftests
mkdir -p "$vmsel"
make -s -C "$TREE/tools/testing/selftests/vm" OUTPUT="$vmsel" KHDR_INCLUDES= >"$vmsel/build.log" 2>&1 ||
	{ tail -n 20 "$vmsel/build.log" >&2; die "the vm selftests do not build (log: $vmsel/build.log)"; }
mkdir -p "$xroot/selftests/vm" "$xroot/etc"
for f in "$vmsel"/*; do
	[ -x "$f" ] && [ -f "$f" ] && install -m 755 "$f" "$xroot/selftests/vm/"
done
install -m 755 "$TREE"/tools/testing/selftests/vm/*.sh "$xroot/selftests/vm/"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$xroot/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$xroot/etc/group"
cat > "$xroot/bin/sudo" <<'SUDO'
#!/bin/sh
# Enough sudo for run_vmtests.sh: "sudo -u USER command args..." (no quoting).
[ "$1" = -u ] || exec "$@"
user=$2
shift 2
exec su -s /bin/sh "$user" -c "$*"
SUDO
chmod 755 "$xroot/bin/sudo"
# Debian's stress-ng (tests/guest/stress_ng.sh), dynamically linked.
[ -x /usr/bin/stress-ng ] || die "/usr/bin/stress-ng is missing: install stress-ng ('make deps')"
cp /usr/bin/stress-ng "$xroot/bin/stress-ng"
for lib in $(ldd "$xroot"/selftests/vm/* /usr/bin/stress-ng 2>/dev/null | grep -v ':$' | grep -o '/[^ ]*' | sort -u); do
	install -D -m 755 "$lib" "$xroot$lib"
done
# glibc loads libgcc_s.so.1 only when a thread is cancelled (userfaultfd's
# test does that): ldd does not list it.
lib=$(readlink -f "$(gcc -print-file-name=libgcc_s.so.1)")
[ -f "$lib" ] && install -D -m 755 "$lib" "$xroot/lib/x86_64-linux-gnu/libgcc_s.so.1"
# va_128TBswitch.sh looks for the running kernel's config in /boot.
if [ -f "$BUILD/distro/.config" ] && [ -f "$BUILD/distro/include/config/kernel.release" ]; then
	install -D -m 644 "$BUILD/distro/.config" \
		"$xroot/boot/config-$(cat "$BUILD/distro/include/config/kernel.release")"
fi
(cd "$xroot" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible --quiet) | gzip -6n > "$BUILD/initramfs-extra.cpio.gz"
log "initramfs: $BUILD/initramfs-extra.cpio.gz (mm selftests, stress-ng)"
