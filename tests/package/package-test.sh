#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# package-test.sh BUILD_DIR — the .deb as a user gets it: installed by apt into a CLEAN Debian 13 root (no
# build packages, ever), so apt alone must resolve every dependency; then the programs run; then the package
# is purged and nothing of it may be left.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(ls "$build"/tern_*_amd64.deb 2>/dev/null | head -n1)
[[ -n $deb ]] || { echo "package-test: no .deb in $build (run cpack first)" >&2; exit 1; }

clean=$("$here/tern.sh" root-path clean)          # cached minbase root; never modified here
work=$(mktemp -d "${TMPDIR:-/tmp}/tern-pkgtest.XXXXXX")
# Downloaded dependencies are kept between runs (the root itself stays clean): apt still resolves them.
archives=${TERN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tern}/apt-archives
mkdir -p "$archives"
trap 'cp -n "$work/root/var/cache/apt/archives/"*.deb "$archives/" 2>/dev/null; rm -rf "$work"' EXIT
cp -a "$clean" "$work/root"
cp "$deb" "$work/root/tmp/tern.deb"
cp "$here/tests/package/check-installed.sh" "$work/root/tmp/"
cp "$here/tests/data/package/hello.eml" "$work/root/tmp/" 2>/dev/null || true

cp "$archives"/*.deb "$work/root/var/cache/apt/archives/" 2>/dev/null || true

echo "package-test: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
start=$(date +%s)
"$here/tern.sh" root-exec "$work/root" /bin/sh /tmp/check-installed.sh
echo "package-test: passed in $(( $(date +%s) - start )) s (install, run, purge)"
