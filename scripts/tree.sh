#!/bin/bash
# make tree: build/linux = pristine Debian linux-source-6.1 (commit tagged
# "base") + one commit per patch in patches/.
#
# The base is fetched and turned into a git repository once per machine, in
# $CACHE; every checkout clones it from there.  An existing tree is updated in
# place (so that incremental kernel builds stay incremental), and never if it
# holds work that is not in patches/ yet.
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$CACHE" "$BUILD"

# fetch_deb: make sure the package of the pinned version is in the cache;
# fall back to the newest 6.1 on offer, loudly.  Prints the version used.
fetch_deb() {
	local want=$BASE_VERSION have newest
	if [ -f "$CACHE/linux-source-6.1_${want}_all.deb" ]; then
		echo "$want"
		return
	fi
	log "downloading linux-source-6.1=$want into $CACHE"
	if (cd "$CACHE" && apt-get download "linux-source-6.1=$want" >&2); then
		echo "$want"
		return
	fi
	newest=$(apt-cache madison linux-source-6.1 2>/dev/null |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -V | tail -n1)
	[ -n "$newest" ] || die "linux-source-6.1 is not offered by apt (run 'apt-get update'?)"
	warn "pinned base linux-source-6.1 $want is no longer offered; using $newest instead."
	warn "update BASE_VERSION once the series is known to apply to $newest."
	(cd "$CACHE" && apt-get download "linux-source-6.1=$newest" >&2) ||
		die "cannot download linux-source-6.1=$newest either"
	echo "$newest"
}

# make_base VERSION: the pristine tree as a git repo at $CACHE/base-VERSION.
# Fixed dates and identity make the base commit's hash the same everywhere.
make_base() {
	local ver=$1 repo=$CACHE/base-$1 tmp
	[ -d "$repo/.git" ] && return
	tmp=$(mktemp -d "$CACHE/.base-tmp.XXXXXX")
	log "extracting linux-source-6.1_$ver (1.5 GiB)"
	dpkg-deb --fsys-tarfile "$CACHE/linux-source-6.1_${ver}_all.deb" |
		tar -x -C "$tmp" ./usr/src/linux-source-6.1.tar.xz
	tar -xJf "$tmp/usr/src/linux-source-6.1.tar.xz" -C "$tmp"
	rm -rf "$tmp/usr"
	log "committing the pristine base"
	(
		cd "$tmp/linux-source-6.1"
		git init -q -b main
		# The base is not ours to filter: commit exactly what Debian ships.
		git add -A -f .
		GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -c user.name="$SERIES_NAME" -c user.email="$SERIES_EMAIL" \
			commit -q -m "Debian linux-source-6.1 $ver (pristine base)"
		git tag base
		git gc -q --aggressive --prune=now 2>/dev/null || true
	)
	mv "$tmp/linux-source-6.1" "$repo"
	rm -rf "$tmp"
}

# unexported_work: print what in the tree is not in patches/ (empty = none).
unexported_work() {
	git -C "$TREE" status --porcelain | head -n 5
	comm -23 <(tree_patch_ids | sort) <(file_patch_ids | sort) |
		sed 's/^/commit not exported, patch-id /'
}

# Debian's .gitignore ignores every top-level entry ("/*", for its packaging
# repository), which would hide the files a patch adds from git status, git
# add -A and the unexported-work check.  Drop that rule from the working
# copy only; skip-worktree keeps the edit out of commits.
unhide_new_files() {
	sed -i -e '/^\/\*$/d' -e '/^!\/debian\/$/d' "$TREE/.gitignore"
	git -C "$TREE" update-index --skip-worktree .gitignore
}

apply_series() {
	local patches
	mapfile -t patches < <(series_patches)
	git -C "$TREE" checkout -q -f -B main base
	unhide_new_files
	[ "${#patches[@]}" -gt 0 ] || { log "the series is empty: tree = base"; return; }
	log "applying ${#patches[@]} patch(es) with git am"
	if ! git -C "$TREE" am -q --committer-date-is-author-date "${patches[@]}"; then
		local n name
		n=$(cat "$TREE/.git/rebase-apply/next" 2>/dev/null || echo 0)
		name=$([ "$n" -gt 0 ] && basename "${patches[n - 1]}" || echo "?")
		git -C "$TREE" am --abort || true
		die "the series does not apply to linux-source-6.1 $(cat "$TREE/.base-version"): $name does not apply (see the git am messages above)"
	fi
}

ver=$(fetch_deb)
timed "preparing the pristine base $ver" make_base "$ver"

if [ -d "$TREE/.git" ]; then
	[ "$(cat "$TREE/.base-version" 2>/dev/null)" = "$ver" ] ||
		die "$TREE was made from another base version; export your work, then 'rm -rf $TREE' and rerun 'make tree'"
	work=$(unexported_work)
	if [ -n "$work" ]; then
		printf '%s\n' "$work" >&2
		die "$TREE holds work that is not in patches/ yet: run 'make export' (and commit), or discard it, first"
	fi
	if [ "$(tree_patch_ids)" = "$(file_patch_ids)" ]; then
		log "tree is up to date with patches/ ($(series_patches | wc -l) patch(es) on base $ver)"
		exit 0
	fi
else
	timed "cloning the base into $TREE" git clone -q "$CACHE/base-$ver" "$TREE"
	echo "$ver" > "$TREE/.base-version"
	# Our files in the tree (base version, config fragments): not the kernel's.
	printf "%s\n" .base-version .fragment .fragment.new >> "$TREE/.git/info/exclude"
	git -C "$TREE" config gc.auto 0	# no background repacks during builds
	git -C "$TREE" config user.name "$SERIES_NAME"
	git -C "$TREE" config user.email "$SERIES_EMAIL"
	git -C "$TREE" fetch -q --tags
fi
unhide_new_files
apply_series
log "tree ready: $TREE ($(series_patches | wc -l) patch(es) on base $ver)"
