#!/bin/bash
# make kernel: configure (allnoconfig + config/*.config) and build the tree's
# bzImage with ccache; leave it at build/bzImage.
#
# EXTRA_CONFIG="a.config b.config" adds fragments (debug builds, config checks).
# KOUT=dir builds out of tree in dir (used by check-series and check-configs).
# CONFIG_CHECK=warn only warns about options of the fragments that Kconfig
# dropped (an early patch of the series may predate them).
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
KOUT=${KOUT:-$TREE}
JOBS=${JOBS:-$(nproc)}
OUT_IMAGE=${OUT_IMAGE:-$BUILD/bzImage}

# ccache: one cache per machine, shared by every checkout.  The kernel is built
# in-tree with relative paths and without debug info, so objects from another
# clone are reused as long as CCACHE_BASEDIR covers both.
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
export CCACHE_NOHASHDIR=1
# Reproducible banner: no host name, user or time in the image.
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=cocomem KBUILD_BUILD_HOST=qemu

kmake() {
	local o=()
	[ "$KOUT" = "$TREE" ] || o=(O="$KOUT")
	make -s -C "$TREE" ARCH=x86_64 "${o[@]}" CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "$@"
}

configure() {
	local frags=("$TOP/config/test.config") f opt missing=()
	for f in ${EXTRA_CONFIG:-}; do frags+=("$(realpath "$f")"); done
	mkdir -p "$KOUT"
	cat "${frags[@]}" > "$KOUT/.fragment.new"
	# Regenerate .config only when the fragments changed: a fresh .config
	# with the same content would still cost a rebuild of generated headers.
	if [ -f "$KOUT/.config" ] && cmp -s "$KOUT/.fragment.new" "$KOUT/.fragment"; then
		return
	fi
	KCONFIG_ALLCONFIG="$KOUT/.fragment.new" kmake allnoconfig >/dev/null ||
		die "cannot configure the kernel in $KOUT"
	# The last fragment to set an option wins, as in Kconfig.
	for opt in $(cat "${frags[@]}" | sed -n -e 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)/\1 \2/p' \
			-e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set/\1 n/p' |
			awk '{ v[$1] = $2 } END { for (o in v) if (v[o] == "y") print o }' | sort); do
		grep -qx "$opt=y" "$KOUT/.config" || missing+=("$opt")
	done
	if [ ${#missing[@]} != 0 ]; then
		# check-series builds early patches that predate some options.
		[ "${CONFIG_CHECK:-strict}" = warn ] ||
			die "Kconfig dropped ${missing[*]} (a dependency is missing from the fragments)"
		warn "not in this tree's Kconfig (yet): ${missing[*]}"
	fi
	mv "$KOUT/.fragment.new" "$KOUT/.fragment"
}

timed "configuring the kernel ($(git -C "$TREE" describe --always --tags))" configure
timed "building bzImage (ccache: $CCACHE_DIR)" kmake bzImage
mkdir -p "$(dirname "$OUT_IMAGE")"
cp "$KOUT/arch/x86/boot/bzImage" "$OUT_IMAGE"
log "kernel: $OUT_IMAGE ($(du -h "$OUT_IMAGE" | cut -f1))"
