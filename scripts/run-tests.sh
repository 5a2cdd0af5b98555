#!/bin/bash
# make test: boot every scenario in tests/scenarios/ (or those named in
# SCENARIOS="a b"), check each log, and sum everything up as one KTAP stream
# ending in "N passed, N failed, N skipped".  Exits non-zero on any failure.
# SCENARIO_DIR=dir takes the scenarios from another directory (work in
# progress keeps its own, e.g. wip/issue-21/scenarios/).
#
# A scenario file sets: MEM (default 2G), CPUS (2), MAXMEM ("maxmem=8G,slots=4"),
# QEMU_ARGS, CMDLINE, TESTS (guest programs, comma-separated), KERNEL (default
# build/bzImage), TIMEOUT (s), NEGATIVE_CONTROL=1 (must catch planted failures),
# EXPECT_WARN="text" (the one kernel report must be a WARN with that text),
# ALLOW_OOM=1 (the scenario drives a process to OOM: the OOM report's stack
# trace is expected; the guest test checks that the kill happened), QMP=1 (the
# guest tests drive QEMU's monitor: hotplug; see scripts/boot.sh -Q), KEXEC=1
# (the guest finds its kernel and initramfs in /boot, to kexec into them),
# KDUMP=1 (the guest crashes on purpose into a kdump kernel: the panic report
# is expected), DEBUG_CMDLINE (added to CMDLINE in "make test-debug" only: the
# debug kernel is several times slower, which a scenario that races the
# kernel's own work may have to make up for; say why in the scenario),
# EXTRA_INITRD=1 (append build/initramfs-extra.cpio.gz: mm selftests,
# stress-ng), COMPARE="a b" (after the boot, compare the "# vmtest:" results
# of this scenario with those of scenario a, b...: scripts/ktap.py compare),
# SPARSE_RAM=1 (guest RAM in a sparse file: MEM may exceed the host's RAM).
#
# Scenarios in tests/distro/ (DISTRO=1, "make test") boot the distro
# kernel (make distro-kernel, build/bzImage-debian-cloud) and are named
# "distro-<file name>"; a file
# there may source one of tests/scenarios/ ($SCENARIO_DIR) to run it again
# on that kernel.
set -eu
. "$(dirname "$0")/lib.sh"

# TEST_KERNEL, TEST_CMDLINE (added to every scenario's), TEST_TIMEOUT_FACTOR,
# TEST_DEBUG=1 (use the scenarios' DEBUG_CMDLINE) and RESULTS let "make
# test-debug" run the same scenarios on a debug kernel.
R=${RESULTS:-$BUILD/results}
rm -rf "$R"
mkdir -p "$R"
python3 "$TOP/scripts/ktap.py" selftest "$R/ktap-selftest.results"

SCENARIO_DIR=${SCENARIO_DIR:-$TOP/tests/scenarios}
DISTRO_KERNEL=${DISTRO_KERNEL:-$BUILD/bzImage-debian-cloud}
if [ -n "${SCENARIOS:-}" ]; then
	# Names of scenarios in tests/scenarios/ (distro-NAME: tests/distro/),
	# or paths of .conf files.
	files=$(for s in $SCENARIOS; do
		case $s in
		*.conf) realpath "$s" ;;
		distro-*) echo "$TOP/tests/distro/${s#distro-}.conf" ;;
		*) echo "$SCENARIO_DIR/$s.conf" ;;
		esac
	done)
else
	# DISTRO=1 ("make test"): the distro scenarios too; DISTRO=only
	# ("make test-distro"): only those.
	case ${DISTRO:-0} in
	only) files=$(ls "$TOP"/tests/distro/*.conf) ;;
	1) files="$(ls "$SCENARIO_DIR"/*.conf) $(ls "$TOP"/tests/distro/*.conf)" ;;
	*) files=$(ls "$SCENARIO_DIR"/*.conf) ;;
	esac
fi
for f in $files; do
	[ -f "$f" ] || die "no scenario $f"
	name=$(basename "$f" .conf)
	kernel=${TEST_KERNEL:-$BUILD/bzImage}
	case $f in */tests/distro/*)
		name=distro-$name
		kernel=$DISTRO_KERNEL
		[ -f "$kernel" ] || die "no distro kernel $kernel: run 'make distro-kernel'"
	esac
	MEM=2G CPUS=2 MAXMEM= QEMU_ARGS= CMDLINE= DEBUG_CMDLINE= TESTS= KERNEL=$kernel TIMEOUT=300
	NEGATIVE_CONTROL=0 EXPECT_WARN= ALLOW_OOM=0 QMP=0 KEXEC=0 KDUMP=0 EXTRA_INITRD=0 COMPARE=
	SPARSE_RAM=0
	# shellcheck disable=SC1090
	. "$f"
	rc=0
	if [ "$SPARSE_RAM" = 1 ]; then
		# More guest RAM than the host has: a sparse file, mapped
		# shared (not charged as private memory), so that only what the
		# guest touches takes space; removed after the boot.
		mkdir -p "$R/$name"
		QEMU_ARGS="$QEMU_ARGS -machine memory-backend=ram -object memory-backend-file,id=ram,size=$MEM,mem-path=$R/$name/ram.img,share=on"
	fi
	initrd=$BUILD/initramfs.cpio.gz
	if [ "$EXTRA_INITRD" = 1 ]; then
		mkdir -p "$R/$name"
		cat "$initrd" "$BUILD/initramfs-extra.cpio.gz" > "$R/$name/initrd-extra.cpio.gz"
		initrd=$R/$name/initrd-extra.cpio.gz
	fi
	if [ "$KEXEC" = 1 ]; then
		# The guest kexecs into the same kernel and initramfs: both go
		# into /boot of a second archive, appended to the first (the
		# kernel unpacks concatenated archives).
		kroot=$R/$name.kexec-root
		rm -rf "$kroot" && mkdir -p "$kroot/boot" "$R/$name"
		cp "$KERNEL" "$kroot/boot/bzImage"
		cp "$initrd" "$kroot/boot/initrd.cpio.gz"
		{ cat "$initrd"; (cd "$kroot" && find . | LC_ALL=C sort |
			cpio -o -H newc --quiet | gzip -1n); } > "$R/$name/initrd-kexec.cpio.gz"
		rm -rf "$kroot"
		initrd=$R/$name/initrd-kexec.cpio.gz
	fi
	"$TOP/scripts/boot.sh" -k "$KERNEL" -i "$initrd" -m "$MEM" -s "$CPUS" ${MAXMEM:+-x "$MAXMEM"} \
		-q "$QEMU_ARGS" -c "$CMDLINE${TEST_DEBUG:+ $DEBUG_CMDLINE} ${TEST_CMDLINE:-}" -t "$TESTS" -o "$R/$name" \
		-T $((TIMEOUT * ${TEST_TIMEOUT_FACTOR:-1})) $([ "$QMP" != 1 ] || echo -Q) || rc=$?
	flags=()
	[ "$rc" != 124 ] || flags+=(--timed-out)
	[ "$NEGATIVE_CONTROL" != 1 ] || flags+=(--negative-control)
	[ -z "$EXPECT_WARN" ] || flags+=(--expect-warn "$EXPECT_WARN")
	[ "$ALLOW_OOM" != 1 ] || flags+=(--allow-oom)
	[ "$KDUMP" != 1 ] || flags+=(--allow-kdump)
	python3 "$TOP/scripts/ktap.py" check "$name" "$R/$name" "${flags[@]}"
	for other in $COMPARE; do
		python3 "$TOP/scripts/ktap.py" compare "$name" "$R/$name" "$other" "$R/$other"
	done
	rm -f "$R/$name/initrd-extra.cpio.gz" "$R/$name/ram.img"
	awk -F'\t' -v n="$name" '{ c[$1]++ } END {
		printf "==> %s: %d passed, %d failed, %d skipped\n", n, c["ok"], c["not ok"], c["skip"] }' \
		"$R/$name/results" >&2
done

rc=0
python3 "$TOP/scripts/ktap.py" summary "$R"/*.results "$R"/*/results > "$R/summary.ktap" || rc=$?
cat "$R/summary.ktap"
[ "$rc" = 0 ] || log "test run FAILED: see the '# FAILED' list above and the logs in $R/"
exit "$rc"
