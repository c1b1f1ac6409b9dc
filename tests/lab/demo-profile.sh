#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# demo-profile.sh LAB_ENV PROFILE_DIR TERN_CLI — what `./tern.sh run` opens: a profile with one IMAP and one
# POP3 account on the lab, both sending through the lab's Postfix, and a few demo messages delivered.
set -euo pipefail
env_file=$1 profile=$2 cli=$3
mkdir -p "$profile"
python3 - "$env_file" <<'PY'
import smtplib, ssl, sys, email.utils
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
ctx = ssl.create_default_context(cafile=env["TERN_LAB_CA"])
users = [u.split(":", 1) for u in env["TERN_LAB_USERS"].split()]
(alice, alice_pw), (bob, bob_pw) = users[:2]
demo = [
    (alice, alice_pw, bob, "Welcome to Tern", "This message travelled: SMTP pushed it to Postfix, LMTP handed it to Dovecot,\r\nand your client pulls it over IMAP or POP3."),
    (bob, bob_pw, alice, "Lunch on Thursday?", "Shall we try the new place by the river?"),
    (alice, alice_pw, bob, "Grüße — a UTF-8 subject", "Non-ASCII text survives the trip: ÄÖÜ ß € ✓"),
]
with smtplib.SMTP_SSL(env["TERN_LAB_HOST"], int(env["TERN_LAB_SUBMISSIONS_PORT"]), context=ctx) as s:
    for user, pw, rcpt, subject, body in demo:
        s.login(user, pw) if not getattr(s, "_tern_login", None) == user else None
        s._tern_login = user
        msg = (f"From: {user}\r\nTo: {rcpt}\r\nSubject: {email.header.Header(subject, 'utf-8').encode()}\r\n"
               f"Date: {email.utils.formatdate(localtime=True)}\r\nMessage-ID: {email.utils.make_msgid(domain='lab.test')}\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               f"{body}\r\n").encode()
        s.sendmail(user, [rcpt], msg)
        s.rset()
        s.close() if False else None
PY
echo "demo: messages delivered to the lab; profile in $profile" >&2
