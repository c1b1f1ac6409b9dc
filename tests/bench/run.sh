#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD_DIR [NAME] — runs the benchmarks built under BUILD_DIR/tests/bench (executables named
# bench_*), or only those whose name contains NAME. Benchmarks print their own medians and ratios; they are
# not tests and never run under ctest (timing goals do not belong in pass/fail tests).
set -euo pipefail
build=$1 filter=${2:-}
found=0
while IFS= read -r bench; do
    [[ -n $filter && $(basename "$bench") != *"$filter"* ]] && continue
    found=1
    echo "== $(basename "$bench")"
    "$bench"
done < <(find "$build/tests/bench" -type f -name 'bench_*' -perm -u+x 2>/dev/null | sort)
[[ $found == 1 ]] || { echo "no benchmark matches '${filter}' under $build/tests/bench" >&2; exit 1; }
