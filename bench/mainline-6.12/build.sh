#!/bin/bash
# Mainline 6.12 (Debian's linux-source-6.12) with our unaccepted-memory
# emulation ported to it (patches/ beside this script), configured from the
# series' own test fragments and built with ccache:
#
#   bench/mainline-6.12/build.sh [tree|kernel]     (default: kernel)
#
#   tree    fetch the source, clone it to build/bench/linux-6.12, apply patches/
#   kernel  tree, then configure and build build/bench/bzImage-mainline-6.12
#
# Test-only: a reference kernel, so that the same guests (same QEMU command
# lines, same efi_fake_unaccepted= emulation) can be booted on our 6.1 series
# and on mainline and their numbers compared.  Not part of the product.  See
# README.md beside this script.
#
# ML_VERSION pins another linux-source-6.12 package version; EXTRA_CONFIG adds
# fragments as for scripts/build-kernel.sh; JOBS, NICE (default 10).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../scripts/lib.sh"

PKG=linux-source-6.12
ML_VERSION=${ML_VERSION:-6.12.117-1~deb12u1}
ML_TREE=${ML_TREE:-$BUILD/bench/linux-6.12}
OUT_IMAGE=${OUT_IMAGE:-$BUILD/bench/bzImage-mainline-6.12}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-10}

# Options of config/test.config that 6.12 spells differently: "OLD NEW...",
# OLD's line becomes one line per NEW, with OLD's value.
MAPPED=(
	# 6.11 turned the boolean into a choice of the default online type;
	# "online" with the zone chosen as for auto-onlining is ..._ONLINE_AUTO.
	"CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO"
	# On x86, 6.12's ACPI_NUMA has no prompt: X86_64_ACPI_NUMA selects it.
	"CONFIG_ACPI_NUMA CONFIG_X86_64_ACPI_NUMA CONFIG_ACPI_NUMA"
)
# Options of the fragments that 6.12 does not have at all: the series' own
# KUnit suites.  Reported at every build, never silently dropped.
ABSENT=(CONFIG_UNACCEPTED_MEMORY_KUNIT_TEST CONFIG_MEMORY_HOTPLUG_KUNIT_TEST)

mkdir -p "$CACHE" "$BUILD/bench"

# The pinned package in the shared cache; the newest 6.12 on offer, loudly,
# if the pin is gone.  Prints the version used.
fetch_deb() {
	local newest
	if [ -f "$CACHE/${PKG}_${ML_VERSION}_all.deb" ]; then
		echo "$ML_VERSION"
		return
	fi
	log "downloading $PKG=$ML_VERSION into $CACHE"
	if (cd "$CACHE" && apt-get download "$PKG=$ML_VERSION" >&2); then
		echo "$ML_VERSION"
		return
	fi
	newest=$(apt-cache madison "$PKG" 2>/dev/null |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -V | tail -n1)
	[ -n "$newest" ] || die "$PKG is not offered by apt (run 'apt-get update'?)"
	warn "pinned $PKG $ML_VERSION is no longer offered; using $newest instead"
	(cd "$CACHE" && apt-get download "$PKG=$newest" >&2) ||
		die "cannot download $PKG=$newest either"
	echo "$newest"
}

# The pristine source as a git repository at $CACHE/base-6.12-VERSION, made
# once per machine (fixed identity and dates: the same hash everywhere).
make_base() {
	local ver=$1 repo=$CACHE/base-6.12-$1 tmp
	[ -d "$repo/.git" ] && return
	tmp=$(mktemp -d "$CACHE/.base-tmp.XXXXXX")
	log "extracting ${PKG}_$ver"
	dpkg-deb --fsys-tarfile "$CACHE/${PKG}_${ver}_all.deb" |
		tar -x -C "$tmp" "./usr/src/$PKG.tar.xz"
	tar -xJf "$tmp/usr/src/$PKG.tar.xz" -C "$tmp"
	rm -rf "${tmp:?}/usr"
	log "committing the pristine base"
	(
		cd "$tmp/$PKG"
		git init -q -b main
		git add -A -f .
		GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -c user.name="$SERIES_NAME" -c user.email="$SERIES_EMAIL" \
			commit -q -m "Debian $PKG $ver (pristine base)"
		git tag base
		git gc -q --prune=now 2>/dev/null || true
	)
	mv "$tmp/$PKG" "$repo"
	rm -rf "$tmp"
}

ml_patches() { find "$HERE/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | sort; }
ids_tree() {
	git -C "$ML_TREE" rev-list --reverse base..HEAD | while read -r c; do
		git -C "$ML_TREE" show "$c" | git patch-id --stable | cut -d' ' -f1
	done
}
ids_files() { ml_patches | while read -r p; do git patch-id --stable < "$p" | cut -d' ' -f1; done; }

# build/bench/linux-6.12 = base + patches/, updated in place (incremental
# builds stay incremental), never over work that is not in patches/.
make_tree() {
	local ver patches
	ver=$(fetch_deb)
	timed "preparing the pristine 6.12 base $ver" make_base "$ver"
	if [ ! -d "$ML_TREE/.git" ]; then
		timed "cloning the base into $ML_TREE" git clone -q "$CACHE/base-6.12-$ver" "$ML_TREE"
		echo "$ver" > "$ML_TREE/.base-version"
		printf "%s\n" .base-version .fragment .fragment.new >> "$ML_TREE/.git/info/exclude"
		git -C "$ML_TREE" config gc.auto 0
		git -C "$ML_TREE" config user.name "$SERIES_NAME"
		git -C "$ML_TREE" config user.email "$SERIES_EMAIL"
		git -C "$ML_TREE" fetch -q --tags
	fi
	[ "$(cat "$ML_TREE/.base-version")" = "$ver" ] ||
		die "$ML_TREE was made from another base; remove it and rerun"
	# Debian's .gitignore hides every top-level entry: see scripts/tree.sh.
	sed -i -e '/^\/\*$/d' -e '/^!\/debian\/$/d' "$ML_TREE/.gitignore"
	git -C "$ML_TREE" update-index --skip-worktree .gitignore
	if [ "$(ids_tree)" = "$(ids_files)" ] && [ -z "$(git -C "$ML_TREE" status --porcelain)" ]; then
		log "$ML_TREE is up to date with $(ml_patches | wc -l) patch(es)"
		return
	fi
	[ -z "$(git -C "$ML_TREE" status --porcelain)" ] ||
		die "$ML_TREE has uncommitted changes: format-patch them into $HERE/patches or discard them"
	mapfile -t patches < <(ml_patches)
	git -C "$ML_TREE" checkout -q -f -B main base
	log "applying ${#patches[@]} patch(es) with git am"
	git -C "$ML_TREE" am -q --committer-date-is-author-date "${patches[@]}" || {
		git -C "$ML_TREE" am --abort || true
		die "the patches do not apply to $PKG $ver"
	}
}

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=cocomem KBUILD_BUILD_HOST=qemu

kmake() {
	nice -n "$NICE" make -s -C "$ML_TREE" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "$@"
}

# The series' fragments with 6.12's names.  Prints what it renamed and what
# 6.12 lacks (kept out of the fragment, reported).
configure() {
	local frags=("$TOP/config/test.config") f r old new repl opt missing=() absent=() sedargs=()
	for f in ${EXTRA_CONFIG:-}; do frags+=("$(realpath "$f")"); done
	for r in "${MAPPED[@]}"; do
		read -r old new <<< "$r"
		repl=$(for n in $new; do printf '%s=\\1\\n' "$n"; done)
		sedargs+=(-e "s/^$old=\(.*\)/${repl%\\n}/" -e "/^# $old is not set/d")
		if grep -q "^$old=" "${frags[@]}"; then
			log "6.12: $old is set as: $new"
		fi
	done
	for opt in "${ABSENT[@]}"; do
		sedargs+=(-e "/^$opt=/d")
		grep -q "^$opt=y" "${frags[@]}" && absent+=("$opt")
	done
	[ ${#absent[@]} = 0 ] || warn "not in 6.12 (the series' own code), left out: ${absent[*]}"
	cat "${frags[@]}" | sed "${sedargs[@]}" > "$ML_TREE/.fragment.new"
	if [ -f "$ML_TREE/.config" ] && cmp -s "$ML_TREE/.fragment.new" "$ML_TREE/.fragment"; then
		return
	fi
	KCONFIG_ALLCONFIG="$ML_TREE/.fragment.new" kmake allnoconfig >/dev/null ||
		die "cannot configure $ML_TREE"
	# Every option the fragment sets to y must survive, as in build-kernel.sh.
	for opt in $(sed -n -e 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)/\1 \2/p' \
			-e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set/\1 n/p' "$ML_TREE/.fragment.new" |
			awk '{ v[$1] = $2 } END { for (o in v) if (v[o] == "y") print o }' | sort); do
		grep -qx "$opt=y" "$ML_TREE/.config" || missing+=("$opt")
	done
	[ ${#missing[@]} = 0 ] ||
		die "Kconfig of 6.12 dropped ${missing[*]} (a dependency is missing from the fragments)"
	mv "$ML_TREE/.fragment.new" "$ML_TREE/.fragment"
}

timed "preparing $ML_TREE" make_tree
[ "${1:-kernel}" = tree ] && exit 0
[ "${1:-kernel}" = kernel ] || die "usage: $0 [tree|kernel]"
timed "configuring mainline 6.12 ($(git -C "$ML_TREE" describe --always --tags))" configure
timed "building bzImage (ccache: $CCACHE_DIR)" kmake bzImage
cp "$ML_TREE/arch/x86/boot/bzImage" "$OUT_IMAGE"
log "kernel: $OUT_IMAGE ($(du -h "$OUT_IMAGE" | cut -f1))"
