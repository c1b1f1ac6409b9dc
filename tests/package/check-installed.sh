#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside a throwaway copy of the clean root: install, use, purge, and look for leftovers.
set -eu
export DEBIAN_FRONTEND=noninteractive
find / -xdev \( -path /proc -o -path /dev -o -path /tmp -o -path /var/lib -o -path /var/cache -o -path /var/log \) \
    -prune -o -print 2>/dev/null | sort >/tmp/before.txt
dpkg-query -W -f='${Package}\n' | sort >/tmp/packages-before.txt
apt-get update -qq
t0=$(date +%s)
apt-get install -y -qq --no-install-recommends /tmp/tern.deb >/tmp/install.log 2>&1 || { cat /tmp/install.log; exit 1; }
echo "package-test: apt-get install took $(( $(date +%s) - t0 )) s"
# apt marks a dependency "manual" when an installed package (libc6) merely recommends it (libidn2-0); every
# package this install pulled in is a dependency of tern, so mark them automatic as apt means them to be.
dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/packages-before.txt - | grep -vx tern \
    | xargs -r apt-mark auto >/dev/null
dpkg -L tern >/tmp/tern-files.txt

tern --version | grep -q '^tern ' || { echo "tern --version failed"; exit 1; }
tern-cli --version | grep -q '^tern-cli ' || { echo "tern-cli --version failed"; exit 1; }
if [ -f /tmp/hello.eml ]; then
    tern-cli parse /tmp/hello.eml --json | grep -q '"subject"' || { echo "tern-cli parse failed"; exit 1; }
fi
# The GUI for a few seconds, offscreen: it must start, stay up, and still be running when told to quit.
QT_QPA_PLATFORM=offscreen HOME=/tmp/home tern --profile /tmp/profile >/tmp/gui.log 2>&1 &
gui=$!
sleep 3
kill -0 "$gui" 2>/dev/null || { echo "tern exited early:"; cat /tmp/gui.log; exit 1; }
kill -TERM "$gui"; wait "$gui" || true

apt-get purge -y -qq tern >/dev/null
# Everything the install pulled in goes too, also what a base package merely recommends or suggests
# (libudev1 suggests libidn2-0).
apt-get autoremove --purge -y -qq -o APT::AutoRemove::RecommendsImportant=false \
    -o APT::AutoRemove::SuggestsImportant=false >/dev/null
if dpkg -s tern >/dev/null 2>&1; then echo "tern is still installed"; exit 1; fi
left=""
while read -r f; do
    [ -e "$f" ] && ! [ -d "$f" ] && left="$left $f"
done </tmp/tern-files.txt
[ -z "$left" ] || { echo "left behind after purge:$left"; exit 1; }
find / -xdev \( -path /proc -o -path /dev -o -path /tmp -o -path /var/lib -o -path /var/cache -o -path /var/log \) \
    -prune -o -print 2>/dev/null | sort >/tmp/after.txt
extra=$(comm -13 /tmp/before.txt /tmp/after.txt)
[ -z "$extra" ] || { echo "files that appeared and stayed:"; echo "$extra"; exit 1; }
echo "package-test: installed, ran, purged; nothing left"
