#!/bin/bash
# make check-series: build the kernel at every patch of the series, in order,
# in a separate worktree (build/series), and name the first patch that breaks
# the build.  Slow the first time; ccache makes later runs quick.
#
# CONFIGS="a.config b.config" builds each listed extra fragment too, at every
# patch (a separate object dir per config).  FROM=N starts at patch N (the
# patches before it were checked already); TO=N stops after patch N.
# KEEP_IMAGES=1 keeps each patch's default-config image as
# build/series-obj/bzImage-patch-N (for bisecting a benchmark figure).
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
wt=$BUILD/series
if [ ! -d "$wt" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" base
fi
mapfile -t commits < <(git -C "$TREE" rev-list --reverse base..HEAD)
[ "${#commits[@]}" -gt 0 ] || { log "the series is empty: nothing to build"; exit 0; }
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	if [ "$i" -lt "${FROM:-1}" ]; then
		log "patch $i/${#commits[@]} skipped (FROM=$FROM): $subject"
		continue
	fi
	[ "$i" -le "${TO:-${#commits[@]}}" ] || break
	git -C "$wt" checkout -q --detach "$c"
	for cfg in "" ${CONFIGS:-}; do
		name=$(basename "${cfg:-default}" .config)
		label=${cfg:+ with $name}
		# The default config builds in the worktree itself: the same
		# relative paths as build/linux, so ccache reuses its objects.
		# The others build out of tree, which kbuild allows only from a
		# source tree never built in-tree: a second worktree.
		src=$wt objdir=$wt
		if [ -n "$cfg" ]; then
			src=$BUILD/series-src
			if [ ! -e "$src/.git" ]; then
				git -C "$TREE" worktree prune
				git -C "$TREE" worktree add -q --detach "$src" "$c"
			fi
			git -C "$src" checkout -q --detach "$c"
			objdir=$BUILD/series-obj/$name
		fi
		# Configure afresh at every patch: options a patch adds must be
		# set from the fragments, not left at their Kconfig defaults.
		rm -f "$objdir/.fragment"
		CONFIG_CHECK=warn TREE=$src KOUT=$objdir OUT_IMAGE=$BUILD/series-obj/bzImage-$name EXTRA_CONFIG=$cfg \
			"$TOP/scripts/build-kernel.sh" ||
			die "patch $i/${#commits[@]} breaks the build$label: $subject"
	done
	[ "${KEEP_IMAGES:-0}" = 0 ] ||
		cp "$BUILD/series-obj/bzImage-default" "$BUILD/series-obj/bzImage-patch-$i"
	log "patch $i/${#commits[@]} builds: $subject"
done
log "every patch of the series builds${FROM:+ from patch $FROM}${TO:+ to patch $TO}"
