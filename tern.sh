#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tern.sh — build, test and run Tern on a fresh machine. The README's Quick start is `./tern.sh run` and
# `./tern.sh test`; each does all of its own set-up.
#
# Where Tern builds:
#   native  the host's package manager offers Qt >= 6.5 and QCA for Qt 6 (Debian 13, Ubuntu 24.10+):
#           the [build] packages are installed on the host.
#   root    otherwise (Debian 12): a Debian 13 root made once with debootstrap, cached outside the checkout
#           and keyed by the package list; entered with `unshare -m` + chroot so nothing stays mounted.
# The test lab's Dovecot and Postfix always live in a private root, never on the host.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PACKAGES=$HERE/installer/packages.txt
CACHE=${TERN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tern}
BUILD=${TERN_BUILD_DIR:-$HERE/build}
SUITE=trixie
ROOT_FORMAT=1          # bump when the provisioning below changes in a way the package list does not show

say() { echo "tern.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    cat <<'TXT'
usage: ./tern.sh COMMAND [ARGS]
  run               build, start the lab with a demo profile and open Tern on your display
  test [CTEST ARGS] build and run every test (unit, gui, integration with the real-server lab, fuzz)
  build             configure and build into ./build
  bench [NAME]      build and run the benchmarks under tests/bench
  package           build the .deb and .tar.gz into ./build
  lab start|stop    start or stop a standalone lab in ./build/lab-manual (prints its lab.env)
  shell [-c CMD]    a shell (or CMD) where Tern builds: the build root, or the host in native mode
  where             say whether this host builds natively or in the build root, and where the cache is
Environment: TERN_CACHE_DIR (cache, default ~/.cache/tern), TERN_BUILD_DIR (default ./build),
             TERN_MODE=native|root (override the detection), CI=true (warnings become errors).
TXT
}

# ---------------------------------------------------------------------------------------------- packages
section() { # NAME -> the packages of one section of installer/packages.txt
    awk -v want="[$1]" '/^[[:space:]]*(#|$)/{next} /^\[/{cur=$0; next} cur==want{print $1}' "$PACKAGES"
}

root_key() { # SECTIONS... -> a short hash of those sections and the provisioning format
    { echo "$SUITE $ROOT_FORMAT $*"; for s in "$@"; do section "$s"; done; } | sha256sum | cut -c1-12
}

# --------------------------------------------------------------------------------------- mode detection
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

candidate() { # PACKAGE -> the version apt would install, or nothing
    apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/{print $2}' | grep -v '(none)' || true
}

detect_mode() {
    if [[ -n ${TERN_MODE:-} ]]; then echo "$TERN_MODE"; return; fi
    command -v apt-cache >/dev/null || { echo root; return; }
    local qt qca
    qt=$(candidate qt6-base-dev); qca=$(candidate libqca-qt6-dev)
    qt=${qt#*:}; qt=${qt%%+*}
    if [[ -n $qt && -n $qca ]] && version_ge "$qt" 6.5; then echo native; else echo root; fi
}

# ------------------------------------------------------------------------------------ the private roots
host_mirror() { # the Debian mirror this host is configured with (never a name written into the project)
    [[ -n ${TERN_DEBIAN_MIRROR:-} ]] && { echo "$TERN_DEBIAN_MIRROR"; return; }
    local uri
    uri=$( { awk '/^URIs:/{u=$2} /^Suites:/{ if ($0 !~ /-security/ && u != "") {print u; exit} }' \
                 /etc/apt/sources.list.d/*.sources 2>/dev/null
             awk '$1=="deb" && $3 !~ /-security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' \
                 /etc/apt/sources.list 2>/dev/null; } | grep -m1 . || true)
    [[ -n $uri ]] || die "no Debian mirror found in this host's apt sources; set TERN_DEBIAN_MIRROR"
    echo "$uri"
}

host_security_mirror() {
    { awk '/^URIs:/{u=$2} /^Suites:/{ if ($0 ~ /-security/) {print u; exit} }' \
          /etc/apt/sources.list.d/*.sources 2>/dev/null
      awk '$1=="deb" && $3 ~ /-security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' \
          /etc/apt/sources.list 2>/dev/null; } | grep -m1 . || true
}

need_root_user() {
    [[ $EUID == 0 ]] || die "the build root needs root for debootstrap, unshare and chroot: run 'sudo $0 $*'"
}

# enter_root DIR CMD... : run CMD inside DIR with /proc, /dev and the checkout mounted in a private mount
# namespace. The mounts die with the namespace: nothing stays mounted on the host afterwards.
enter_root() {
    local dir=$1; shift
    local -a envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
                   LANG=C.UTF-8 LC_ALL=C.UTF-8 TERN_INSIDE=1 TERM="${TERM:-dumb}"
                   TERN_CACHE_DIR=/var/cache/tern TERN_BUILD_DIR="$BUILD" CCACHE_DIR=/var/cache/tern/ccache)
    local v
    for v in CI DISPLAY WAYLAND_DISPLAY XDG_RUNTIME_DIR TERN_MODE TERN_CTEST_JOBS TERN_BUILD_JOBS \
             DEBIAN_FRONTEND TERN_HOST_MODE TERN_LAB_ROOT; do
        [[ -n ${!v:-} ]] && envs+=("$v=${!v}")
    done
    [[ -n ${TERN_XAUTH:-} ]] && envs+=("XAUTHORITY=$TERN_XAUTH")
    mkdir -p "$CACHE/ccache"
    # Private propagation keeps our mounts out of the host's view (systemd makes / shared). Where / is not a
    # mount point we are already inside a chroot whose own namespace is private, and there is nothing to do.
    unshare -m --propagation unchanged -- bash -c '
        set -e
        dir=$1; here=$2; build=$3; cache=$4; bare=$5; shift 5
        if mountpoint -q /; then mount --make-rprivate /; fi
        mount -t proc proc "$dir/proc"
        mount --rbind /dev "$dir/dev"
        if [ -n "$bare" ]; then cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true; exec chroot "$dir" "$@"; fi
        mkdir -p "$dir$here" "$dir/var/cache/tern"
        mount --bind "$here" "$dir$here"
        case "$build" in "$here"/*) ;; *) mkdir -p "$build" "$dir$build"; mount --bind "$build" "$dir$build";; esac
        mount --bind "$cache" "$dir/var/cache/tern"
        if [ -d /tmp/.X11-unix ]; then mkdir -p "$dir/tmp/.X11-unix"; mount --bind /tmp/.X11-unix "$dir/tmp/.X11-unix"; fi
        if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ]; then
            mkdir -p "$dir$XDG_RUNTIME_DIR"; mount --bind "$XDG_RUNTIME_DIR" "$dir$XDG_RUNTIME_DIR"; fi
        cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
        exec chroot "$dir" "$@"
    ' _ "$dir" "$HERE" "$BUILD" "$CACHE" "${TERN_ENTER_BARE:-}" /usr/bin/env -i "${envs[@]}" "$@"
}

# ensure_root NAME SECTIONS... -> prints the path of a ready root holding those sections' packages
ensure_root() {
    local name=$1; shift
    local key dir
    key=$(root_key "$@")
    dir=$CACHE/$name-$SUITE-$key
    # The stamp's time says when a root was last used: other checkouts (another branch, a worktree) may
    # be using roots made from another package list, so only long-unused ones are ever removed.
    [[ -f $dir/.tern-ready ]] && { touch "$dir/.tern-ready" 2>/dev/null || true; echo "$dir"; return; }
    need_root_user
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.$name.lock"
    flock 9
    if [[ ! -f $dir/.tern-ready ]]; then
        build_root "$dir" "$@" >&2
    fi
    flock -u 9
    echo "$dir"
}

build_root() { # DIR SECTIONS...
    local dir=$1; shift
    local tmp=$dir.partial mirror security pkgs start=$SECONDS
    command -v debootstrap >/dev/null || {
        command -v apt-get >/dev/null || die "debootstrap is needed to make the build root"
        say "installing debootstrap on the host"
        apt-get install -y -qq debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
    }
    mirror=$(host_mirror); security=$(host_security_mirror)
    say "creating the Debian 13 root $(basename "$dir") (once; about a minute)"
    rm -rf "$tmp"
    debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
    {
        echo "deb $mirror $SUITE main"
        echo "deb $mirror $SUITE-updates main"
        [[ -n $security ]] && echo "deb $security $SUITE-security main"
    } >"$tmp/etc/apt/sources.list"
    # No daemon may start while packages install: the lab starts its own, on its own ports.
    printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod +x "$tmp/usr/sbin/policy-rc.d"
    pkgs=$(for s in "$@"; do section "$s"; done | sort -u | tr '\n' ' ')
    DEBIAN_FRONTEND=noninteractive enter_root "$tmp" /bin/sh -c "
        apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs && apt-get clean &&
        if command -v dovecot >/dev/null; then # the lab's mail owner, only where the lab lives
            id ternmail >/dev/null 2>&1 || useradd --system --user-group --home-dir /nonexistent \
                --shell /usr/sbin/nologin ternmail; fi" >"$CACHE/packages.log" 2>&1 \
        || { tail -n 30 "$CACHE/packages.log" >&2; die "installing packages in the root failed"; }
    touch "$tmp/.tern-ready"
    rm -rf "$dir"; mv "$tmp" "$dir"
    # Roots made from other package lists and unused for two weeks are of no further use.
    local old
    for old in "$CACHE/$(basename "$dir" | sed 's/-[0-9a-f]*$//')"-*; do
        [[ $old == "$dir" || $old == *.partial ]] && continue
        [[ -n $(find "$old/.tern-ready" -mtime +14 2>/dev/null) || ! -e $old/.tern-ready ]] && rm -rf "$old"
    done
    say "root ready in $((SECONDS - start)) s"
}

ensure_native_packages() {
    local missing
    missing=$(section build | while read -r p; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
    [[ -z $missing ]] && return
    need_root_user
    say "installing on this host: $(echo "$missing" | tr '\n' ' ')"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; }
}

# --------------------------------------------------------------------------- commands, where Tern builds
configure() {
    # clang: the libFuzzer targets build in the same tree as everything else.
    local -a opts=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++)
    [[ ${CI:-} == true ]] && opts+=(-DTERN_WERROR=ON)
    if [[ ${TERN_HOST_MODE:-root} == native ]]; then
        opts+=("-DTERN_LAB_RUNNER=$HERE/tern.sh;lab-exec")
    fi
    if [[ ! -f $BUILD/CMakeCache.txt || ! -f $BUILD/build.ninja || ${CI:-} == true ]]; then
        cmake -S "$HERE" -B "$BUILD" "${opts[@]}" >/dev/null
    fi
}

do_build() {
    configure
    cmake --build "$BUILD" -- ${TERN_BUILD_JOBS:+-j "$TERN_BUILD_JOBS"}
}

stop_stray_labs() { # whatever a crashed run left running under the build tree
    local env
    for env in "$BUILD"/lab*/lab.env; do
        [[ -e $env ]] && lab_exec "$HERE/tests/lab/lab.sh" stop "$(dirname "$env")"
    done
    return 0
}

do_test() {
    do_build
    stop_stray_labs
    local rc=0
    ctest --test-dir "$BUILD" --output-on-failure -j "${TERN_CTEST_JOBS:-2}" "$@" || rc=$?
    stop_stray_labs
    return $rc
}

lab_exec() { # run a lab command where the lab lives: here in root mode, in the lab root in native mode
    if [[ ${TERN_HOST_MODE:-root} == native && -n ${TERN_LAB_ROOT:-} ]]; then
        enter_root "$TERN_LAB_ROOT" "$@"
    else
        "$@"
    fi
}

do_package() {
    do_build
    (cd "$BUILD" && cpack -B "$BUILD" >/dev/null)
    ls -l "$BUILD"/tern_*_amd64.deb "$BUILD"/tern_*_amd64.tar.gz
}

do_run() {
    do_build
    local profile=$BUILD/demo-profile rc=0
    RUN_LAB=$BUILD/lab-run
    local lab=$RUN_LAB
    lab_exec "$HERE/tests/lab/lab.sh" stop "$lab"
    lab_exec "$HERE/tests/lab/lab.sh" start "$lab" >/dev/null
    # Closing Tern (or any failure from here on) stops the lab.
    trap 'lab_exec "$HERE/tests/lab/lab.sh" stop "$RUN_LAB"' EXIT
    export TERN_PRIMARY_PASSWORD=${TERN_PRIMARY_PASSWORD:-tern-demo}
    "$HERE/tests/lab/demo-profile.sh" "$lab/lab.env" "$profile" "$BUILD/app/tern-cli"
    say "lab running (IMAP, POP3, SMTP on 127.0.0.1; see $lab/lab.env); starting Tern"
    "$BUILD/app/tern" --profile "$profile" "$@" || rc=$?
    return $rc
}

inside() { # the command, where Tern builds
    cd "$HERE"
    local cmd=$1; shift
    case $cmd in
        build) do_build ;;
        test)  do_test "$@" ;;
        run)   do_run "$@" ;;
        bench) do_build; "$HERE/tests/bench/run.sh" "$BUILD" "$@" ;;
        package) do_package ;;
        lab)
            case ${1:-} in
                start) do_build >/dev/null; lab_exec "$HERE/tests/lab/lab.sh" start "$BUILD/lab-manual";
                       cat "$BUILD/lab-manual/lab.env" ;;
                stop)  lab_exec "$HERE/tests/lab/lab.sh" stop "$BUILD/lab-manual" ;;
                *) die "usage: ./tern.sh lab start|stop" ;;
            esac ;;
        shell) if [[ $# -gt 0 ]]; then bash "$@"; else bash -i; fi ;;
        *) usage; exit 2 ;;
    esac
}

# ------------------------------------------------------------------------------------------------- main
main() {
    local cmd=${1:-}; [[ $# -gt 0 ]] && shift
    case $cmd in ""|-h|--help|help) usage; exit 0 ;; esac

    # lab-exec: how CTest reaches the lab root on a native host (TERN_LAB_RUNNER).
    if [[ $cmd == lab-exec ]]; then
        enter_root "$(ensure_root lab lab)" "$@"; exit
    fi
    # root-path SECTION: a ready root holding only that section's packages (the package test's clean root).
    # root-exec DIR CMD...: run CMD inside a root with only /proc and /dev mounted (not the checkout),
    # nothing left mounted afterwards.
    if [[ $cmd == root-path ]]; then ensure_root "${1:?section}" "$1"; exit; fi
    if [[ $cmd == root-exec ]]; then dir=${1:?root dir}; shift; TERN_ENTER_BARE=1 enter_root "$dir" "$@"; exit; fi

    # Already where Tern builds (inside the root, or a native host on a second pass).
    if [[ -n ${TERN_INSIDE:-} ]]; then inside "$cmd" "$@"; exit; fi

    if [[ $cmd == run && -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
        die "no display: Tern is a desktop program and needs X11 or Wayland. On a headless machine, run it
under a virtual display: apt-get install xvfb && xvfb-run -a ./tern.sh run"
    fi

    local mode; mode=$(detect_mode)
    if [[ $cmd == where ]]; then
        echo "mode: $mode"; echo "cache: $CACHE"; ls -d "$CACHE"/*-"$SUITE"-* 2>/dev/null || true; exit 0
    fi

    if [[ ($cmd == run || $cmd == shell) && -n ${XAUTHORITY:-} && -r ${XAUTHORITY:-} ]]; then
        mkdir -p "$BUILD"; cp "$XAUTHORITY" "$BUILD/.Xauthority"; export TERN_XAUTH=$BUILD/.Xauthority
    fi

    if [[ $mode == native ]]; then
        ensure_native_packages
        local labroot=""
        case $cmd in test|run|lab|bench) labroot=$(ensure_root lab lab) ;; esac
        TERN_INSIDE=1 TERN_HOST_MODE=native TERN_LAB_ROOT=$labroot \
            XAUTHORITY=${TERN_XAUTH:-${XAUTHORITY:-}} inside "$cmd" "$@"
    else
        need_root_user "$cmd"
        local root; root=$(ensure_root root build lab)
        enter_root "$root" "$HERE/tern.sh" "$cmd" "$@"
    fi
}

main "$@"
