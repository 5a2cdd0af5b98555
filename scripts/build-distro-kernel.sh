#!/bin/bash
# make distro-kernel: build the series (the tree's last commit) with Debian's
# own config for 6.1, cloud-amd64 flavour (package linux-config-6.1), plus
# config/distro.config (what the tests need: the emulation, KUnit, modules
# the tests use built in), merged with the kernel's merge_config.sh; leave
# build/bzImage-debian-cloud.
#
# Out of tree in build/distro, from the same worktree check-configs uses.
# Only bzImage is built: the tests load no modules, so Debian's thousands
# of =m options are configured (they shape the built-in code) but not
# compiled.  A compiler, assembler, linker or objtool warning fails the
# build, as a boot-time warning fails a test.
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
DEBIAN_CONFIG=${DEBIAN_CONFIG:-/usr/src/linux-config-6.1/config.amd64_none_cloud-amd64.xz}
[ -f "$DEBIAN_CONFIG" ] || die "$DEBIAN_CONFIG is missing: install linux-config-6.1 ('make deps')"
KOUT=$BUILD/distro
OUT_IMAGE=${OUT_IMAGE:-$BUILD/bzImage-debian-cloud}
JOBS=${JOBS:-$(nproc)}
frag=$TOP/config/distro.config

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=cocomem KBUILD_BUILD_HOST=qemu

src=$BUILD/configs/src
if [ ! -e "$src/.git" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$src" HEAD
fi
git -C "$src" checkout -q --detach "$(git -C "$TREE" rev-parse HEAD)"

kmake() {
	make -s -C "$src" ARCH=x86_64 O="$KOUT" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

configure() {
	mkdir -p "$KOUT"
	{ xzcat "$DEBIAN_CONFIG"; cat "$frag"; } > "$KOUT/.inputs.new"
	if [ -f "$KOUT/.config" ] && cmp -s "$KOUT/.inputs.new" "$KOUT/.inputs"; then
		return
	fi
	xzcat "$DEBIAN_CONFIG" > "$KOUT/.debian.config"
	(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$KOUT" \
		"$KOUT/.debian.config" "$frag" >/dev/null) || die "merge_config.sh failed"
	kmake olddefconfig >/dev/null || die "cannot configure the distro kernel"
	local opt missing=()
	for opt in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' "$frag"); do
		grep -qx "$opt=y" "$KOUT/.config" || missing+=("$opt")
	done
	[ ${#missing[@]} = 0 ] || die "Kconfig dropped ${missing[*]} from the distro config"
	for opt in $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$frag"); do
		if grep -q "^$opt=" "$KOUT/.config"; then
			missing+=("$opt")
		fi
	done
	[ ${#missing[@]} = 0 ] || die "Kconfig kept ${missing[*]} on in the distro config"
	mv "$KOUT/.inputs.new" "$KOUT/.inputs"
}

build() {
	local log=$KOUT/build.log rc=0
	kmake bzImage > "$log" 2>&1 || rc=$?
	# Warnings count as failures (ccache replays a cached compiler's
	# output, so a warm build still shows them).
	# config/distro-known-warnings lists the base's own, with reasons.
	if grep -E -i '(^|[: ])warning:' "$log" |
		grep -v -E -f <(grep -v -e '^#' -e '^$' "$TOP/config/distro-known-warnings") >&2; then
		die "the distro kernel builds with warnings (above; full log: $log)"
	fi
	[ "$rc" = 0 ] || { tail -n 40 "$log" >&2; die "the distro kernel does not build (log: $log)"; }
}

timed "configuring the distro kernel (Debian $(basename "$DEBIAN_CONFIG" .xz) + $(basename "$frag"))" configure
timed "building the distro kernel's bzImage (ccache: $CCACHE_DIR)" build
cp "$KOUT/arch/x86/boot/bzImage" "$OUT_IMAGE"
log "distro kernel: $OUT_IMAGE ($(du -h "$OUT_IMAGE" | cut -f1))"
