#!/bin/bash
# make initramfs: busybox-static + tests/init + the guest test programs
# (tests/guest/*.c, built static against the tree's kselftest.h) + bash and
# the tree's memory hotplug selftest + makedumpfile, packed as
# build/initramfs.cpio.gz.
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
[ -x /bin/busybox ] || die "/bin/busybox is missing: install busybox-static ('make deps')"
root=$BUILD/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests}

# Benchmark programs (bench/guest) are installed beside the tests and run the
# same way (cocotest.tests=name); they print figures, not results.
for src in "$TOP"/tests/guest/*.c "$TOP"/bench/guest/*.c; do
	name=$(basename "$src" .c)
	gcc -static -O2 -pthread -Wall -Wextra -Werror -D_GNU_SOURCE \
		-I"$TREE/tools/testing/selftests" -I"$TOP/tests/guest" \
		-o "$root/tests/$name" "$src" ||
		die "guest test $src does not build"
done
# kexec_load loads for a crash (kdump) when started as kdump_load.
ln -s kexec_load "$root/tests/kdump_load"
# The series' own kselftest, from the tree (tools/testing/selftests/vm).
sel_vm=$TREE/tools/testing/selftests/vm/unaccepted_memory.c
if [ -f "$sel_vm" ]; then
	gcc -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$root/tests/unaccepted_memory" "$sel_vm" ||
		die "selftest $sel_vm does not build"
fi
for src in "$TOP"/tests/guest/*.sh; do
	[ -f "$src" ] && install -m 755 "$src" "$root/tests/$(basename "$src" .sh)"
done
cp /bin/busybox "$root/bin/busybox"
# The kernel's own memory hotplug selftest is a bash script (tests/guest/
# mem_on_off.sh runs it): the host's bash and the libraries it loads.
sel=$TREE/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh
[ -f "$sel" ] || die "$sel is missing from the tree"
install -D -m 755 "$sel" "$root/selftests/memory-hotplug/mem-on-off-test.sh"
cp /bin/bash "$root/bin/bash"
mkdir -p "$root/sbin"
ln -s /bin/busybox "$root/sbin/modprobe"	# the selftest calls /sbin/modprobe
# Debian's makedumpfile (kdump-tools' dump tool), which the kdump scenario
# runs on /proc/vmcore; dynamically linked, like bash.
[ -x /usr/bin/makedumpfile ] || die "/usr/bin/makedumpfile is missing: install makedumpfile ('make deps')"
cp /usr/bin/makedumpfile "$root/bin/makedumpfile"
for lib in $(ldd /bin/bash /usr/bin/makedumpfile | grep -v ':$' | grep -o '/[^ ]*' | sort -u); do
	install -D -m 755 "$lib" "$root$lib"
done
install -m 755 "$TOP/tests/init" "$root/init"
# Fixed timestamps and order: the same inputs give the same archive.
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible --quiet) | gzip -9n > "$BUILD/initramfs.cpio.gz"
log "initramfs: $BUILD/initramfs.cpio.gz ($(ls "$root/tests" | wc -w) guest test(s))"
