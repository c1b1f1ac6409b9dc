#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The test lab: a real Dovecot (IMAP, POP3, LMTP, SASL for Postfix) and a real Postfix (MX-style SMTP,
# submission with STARTTLS + AUTH, implicit-TLS submission) on 127.0.0.1, on ports picked free per run.
#
#   lab.sh start DIR      create DIR, write configs and a throwaway CA, start both daemons, write DIR/lab.env
#   lab.sh stop DIR       stop both daemons by PID (always safe to call, also after a failed start)
#   lab.sh adduser DIR USER PASSWORD     add a user with its own password (any other name@lab.test logs in
#                                        with the lab password, $TERN_LAB_PASSWORD, and gets a fresh mailbox)
#   lab.sh status DIR     exit 0 when both daemons are alive
#
# It runs inside Tern's private build/lab root, never on the user's own system: nothing here is installed,
# enabled or bound outside loopback. Daemons never inherit our stdout/stderr (callers would hang on the pipe).
set -euo pipefail

die() { echo "lab: $*" >&2; exit 1; }

LAB_UID_USER=ternmail
LAB_PASSWORD=lab-password       # created when the root is provisioned (tern.sh); owns the maildirs
DOMAIN=lab.test

free_ports() { # N -> N distinct free TCP ports on 127.0.0.1, held open until all are chosen
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

make_ca() { # DIR: a CA with basicConstraints/keyUsage (OpenSSL 3.5 and Python reject a CA without them)
    local d=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Tern Lab CA $(basename "$(dirname "$d")")" \
        -keyout "$d/ca.key" -out "$d/ca.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" \
        >/dev/null 2>&1
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$d/server.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
        -extfile "$d/server.ext" -out "$d/server.pem" >/dev/null 2>&1
    # A second, self-signed certificate nobody trusts: for tests of the untrusted-certificate path.
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=untrusted.lab.test" \
        -keyout "$d/untrusted.key" -out "$d/untrusted.pem" >/dev/null 2>&1
    chmod 0644 "$d"/*.pem; chmod 0640 "$d"/*.key
}

write_dovecot() {
    local lab=$1 uid gid
    uid=$(id -u "$LAB_UID_USER"); gid=$(id -g "$LAB_UID_USER")
    mkdir -p "$lab/dovecot/run" "$lab/dovecot/state" "$lab/mail"
    chown "$LAB_UID_USER:$LAB_UID_USER" "$lab/mail"
    cat >"$lab/dovecot/dovecot.conf" <<CONF
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
instance_name = tern-lab-$LAB_ID
base_dir = $lab/dovecot/run
state_dir = $lab/dovecot/state
protocols = imap pop3 lmtp
listen = 127.0.0.1
log_path = $lab/dovecot/dovecot.log
# Plaintext mechanisms only after TLS: the lab is as strict as a well-run provider.
auth_allow_cleartext = no
auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256
auth_username_format = %{user | lower}
first_valid_uid = $uid
last_valid_uid = $uid
default_internal_user = dovecot
default_login_user = dovenull

ssl = yes
ssl_min_protocol = TLSv1.2
ssl_server_cert_file = $lab/tls/server.pem
ssl_server_key_file = $lab/tls/server.key

passdb passwd-file {
  passwd_file_path = $lab/users.passwd
}
# Any other user@lab.test exists with the lab password, so each test takes a fresh mailbox just by choosing
# a new name. (Appending to the passwd-file instead races Dovecot's one-second mtime check.)
passdb static {
  password = $LAB_PASSWORD
}
userdb static {
  fields {
    uid = $uid
    gid = $gid
    home = $lab/mail/%{user | username}
  }
}
mail_driver = maildir
mail_path = ~/Maildir
mail_inbox_path = ~/Maildir

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}

service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    listen = 127.0.0.1
    port = $LMTP_PORT
  }
}
service auth {
  inet_listener auth-postfix {
    listen = 127.0.0.1
    port = $AUTH_PORT
  }
}
protocol lmtp {
  # Deliver to "user@lab.test" as user "user@lab.test" (the passwd-file key).
  auth_username_format = %{user | lower}
}
CONF
}

write_postfix() {
    local lab=$1 pf=$1/postfix
    mkdir -p "$pf/queue" "$pf/data"
    chown postfix "$pf/data"      # master.lock and the TLS session cache are written as mail_owner
    cat >"$pf/main.cf" <<CONF
compatibility_level = 3.10
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
myhostname = mx.lab.test
mydomain = lab.test
myorigin = lab.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $pf/postfix.log
maillog_file_prefixes = $lab
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_maps = static:ok
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
smtpd_banner = \$myhostname ESMTP Tern lab
smtpd_tls_cert_file = $lab/tls/server.pem
smtpd_tls_key_file = $lab/tls/server.key
smtpd_tls_security_level = may
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_protocols = >=TLSv1.2
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$AUTH_PORT
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
message_size_limit = 52428800
smtputf8_enable = yes
biff = no
CONF
    cat >"$pf/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SUBMISSIONS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
}

wait_port() { # PORT: until something accepts on it, bounded (a daemon that never comes up fails the start)
    python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

cmd_adduser() {
    local lab=$1 user=$2 pass=$3
    [[ $user == *@* ]] || user="$user@$DOMAIN"
    # passwd-file: user:{PLAIN}password — plain storage so CRAM-MD5 and SCRAM can be verified too.
    printf '%s:{PLAIN}%s::::::\n' "$user" "$pass" >>"$lab/users.passwd"
}

cmd_start() {
    local lab=$1
    # A lab left behind by a killed run is stopped and wiped: every run starts from empty mailboxes.
    if [[ -e $lab ]]; then cmd_stop "$lab"; rm -rf "$lab"; fi
    command -v dovecot >/dev/null && command -v postfix >/dev/null \
        || die "dovecot and postfix are not here: run this inside Tern's root (./tern.sh lab start)"
    id "$LAB_UID_USER" >/dev/null 2>&1 || die "user $LAB_UID_USER is missing from this root"
    mkdir -p "$lab/tls"; lab=$(cd "$lab" && pwd)
    chmod 0755 "$lab"
    LAB_ID=$(basename "$lab")-$$
    read -r IMAP_PORT IMAPS_PORT POP3_PORT POP3S_PORT LMTP_PORT AUTH_PORT SMTP_PORT SUBMISSION_PORT \
        SUBMISSIONS_PORT < <(free_ports 9)
    make_ca "$lab/tls"
    chgrp dovecot "$lab/tls/server.key"
    : >"$lab/users.passwd"; chmod 0640 "$lab/users.passwd"; chgrp dovecot "$lab/users.passwd"
    cmd_adduser "$lab" alice alice-secret
    cmd_adduser "$lab" bob bob-secret
    write_dovecot "$lab"
    write_postfix "$lab"

    dovecot -c "$lab/dovecot/dovecot.conf" </dev/null >"$lab/dovecot/start.log" 2>&1 \
        || { cat "$lab/dovecot/start.log" >&2; die "dovecot did not start"; }
    postfix -c "$lab/postfix" start </dev/null >"$lab/postfix/start.log" 2>&1 \
        || { cat "$lab/postfix/start.log" >&2; cmd_stop "$lab"; die "postfix did not start"; }
    for p in $IMAP_PORT $IMAPS_PORT $POP3_PORT $POP3S_PORT $LMTP_PORT $SMTP_PORT $SUBMISSION_PORT \
             $SUBMISSIONS_PORT; do
        wait_port "$p" || { cmd_stop "$lab"; die "nothing listens on port $p"; }
    done
    cat >"$lab/lab.env" <<ENV
TERN_LAB_DIR=$lab
TERN_LAB_DOMAIN=$DOMAIN
TERN_LAB_HOST=127.0.0.1
TERN_LAB_CA=$lab/tls/ca.pem
TERN_LAB_UNTRUSTED_CERT=$lab/tls/untrusted.pem
TERN_LAB_UNTRUSTED_KEY=$lab/tls/untrusted.key
TERN_LAB_IMAP_PORT=$IMAP_PORT
TERN_LAB_IMAPS_PORT=$IMAPS_PORT
TERN_LAB_POP3_PORT=$POP3_PORT
TERN_LAB_POP3S_PORT=$POP3S_PORT
TERN_LAB_SMTP_PORT=$SMTP_PORT
TERN_LAB_SUBMISSION_PORT=$SUBMISSION_PORT
TERN_LAB_SUBMISSIONS_PORT=$SUBMISSIONS_PORT
TERN_LAB_USERS=alice@$DOMAIN:alice-secret bob@$DOMAIN:bob-secret
TERN_LAB_PASSWORD=$LAB_PASSWORD
ENV
    echo "lab: up in $lab"
}

pids_of() { # DIR -> the master PIDs this lab started
    local lab=$1 f
    for f in "$lab/dovecot/run/master.pid" "$lab/postfix/queue/pid/master.pid"; do
        [[ -r $f ]] && tr -dc '0-9\n' <"$f" | head -n1
    done
    return 0
}

cmd_stop() {
    local lab=$1 pid pids
    [[ -d $lab ]] || return 0
    pids=$(pids_of "$lab")
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    # Bounded wait for the masters (and so their children) to go; then no mercy.
    for _ in $(seq 100); do
        local alive=0
        for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && break
        sleep 0.1
    done
    # Both masters daemonize with setsid(), so each one's session id is its PID: whatever is left of a
    # session (a stuck imap or smtpd child) goes with it.
    for pid in $pids; do pkill -KILL -s "$pid" 2>/dev/null || true; kill -KILL "$pid" 2>/dev/null || true; done
    rm -f "$lab/lab.env"
}

cmd_status() {
    local lab=$1 pid n=0
    for pid in $(pids_of "$lab"); do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
    [[ $n == 2 ]]
}

case "${1:-}" in
    start)   [[ $# == 2 ]] || die "usage: lab.sh start DIR"; cmd_start "$2" ;;
    stop)    [[ $# == 2 ]] || die "usage: lab.sh stop DIR"; cmd_stop "$2" ;;
    status)  [[ $# == 2 ]] || die "usage: lab.sh status DIR"; cmd_status "$2" ;;
    adduser) [[ $# == 4 ]] || die "usage: lab.sh adduser DIR USER PASSWORD"; cmd_adduser "$2" "$3" "$4" ;;
    *) die "usage: lab.sh start|stop|status|adduser DIR ..." ;;
esac
