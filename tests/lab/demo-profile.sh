#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# demo-profile.sh LAB_ENV PROFILE_DIR TERN_CLI — what `./tern.sh run` opens: a fresh profile with one IMAP
# account (alice) and one POP3 account (bob) on the lab, both sending through the lab's Postfix over implicit
# TLS, and a few demo messages delivered to each. The profile's vault is unlocked by TERN_PRIMARY_PASSWORD,
# which the caller sets (the demo's secrets are the lab's throwaway passwords).
set -euo pipefail
env_file=$1 profile=$2 cli=$3
lab() { sed -n "s/^$1=//p" "$env_file"; }
: "${TERN_PRIMARY_PASSWORD:?set TERN_PRIMARY_PASSWORD: it unlocks the vault of the demo profile}"
export TERN_SECRETS=${TERN_SECRETS:-vault}

rm -rf "$profile"
add() { # NAME PROTOCOL PORT USER PASSWORD
    printf '%s\n' "$5" | "$cli" --profile "$profile" account add "$1" --email "$4" --display-name "${4%@*}" \
        --incoming "$2" --incoming-host "$(lab TERN_LAB_HOST)" --incoming-port "$3" --incoming-security tls \
        --smtp-host "$(lab TERN_LAB_HOST)" --smtp-port "$(lab TERN_LAB_SUBMISSIONS_PORT)" --smtp-security tls \
        --user "$4" --password-stdin --ca-file "$(lab TERN_LAB_CA)"
}
add "Alice (IMAP)" imap "$(lab TERN_LAB_IMAPS_PORT)" alice@lab.test alice-secret
add "Bob (POP3)" pop3 "$(lab TERN_LAB_POP3S_PORT)" bob@lab.test bob-secret

# One message goes out the way Tern sends: through the outbox, SMTP submission, and a copy in bob's Sent.
"$cli" --profile "$profile" send "Bob (POP3)" --to alice@lab.test --subject "Sent with tern-cli" \
    --body "Queued in the outbox, pushed over SMTP, pulled by alice over IMAP." >&2

python3 - "$env_file" <<'PY'
import email.header, email.utils, smtplib, ssl, sys
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
ctx = ssl.create_default_context(cafile=env["TERN_LAB_CA"])
users = dict(u.split(":", 1) for u in env["TERN_LAB_USERS"].split())
demo = [
    ("alice@lab.test", "bob@lab.test", "Welcome to Tern",
     "This message travelled: SMTP pushed it to Postfix, LMTP handed it to Dovecot,\r\n"
     "and your client pulls it over IMAP or POP3."),
    ("bob@lab.test", "alice@lab.test", "Lunch on Thursday?", "Shall we try the new place by the river?"),
    ("alice@lab.test", "bob@lab.test", "Grüße: a UTF-8 subject", "Non-ASCII text survives the trip: ÄÖÜ ß € ✓"),
    ("bob@lab.test", "alice@lab.test", "Your POP3 account works", "Sent from bob's account through the lab."),
]
for sender, rcpt, subject, body in demo:
    msg = (f"From: {sender}\r\nTo: {rcpt}\r\nSubject: {email.header.Header(subject, 'utf-8').encode()}\r\n"
           f"Date: {email.utils.formatdate(localtime=True)}\r\n"
           f"Message-ID: {email.utils.make_msgid(domain='lab.test')}\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           f"{body}\r\n").encode()
    with smtplib.SMTP_SSL(env["TERN_LAB_HOST"], int(env["TERN_LAB_SUBMISSIONS_PORT"]), context=ctx) as s:
        s.login(sender, users[sender])
        s.sendmail(sender, [rcpt], msg)
# Postfix delivers through its queue: wait (bounded) until both mailboxes hold their demo messages.
import poplib, time
for user, extra in (("bob@lab.test", 0), ("alice@lab.test", 1)):  # alice also gets the tern-cli message
    expected = sum(1 for d in demo if d[1] == user) + extra
    deadline = time.monotonic() + 30
    while True:
        p = poplib.POP3_SSL(env["TERN_LAB_HOST"], int(env["TERN_LAB_POP3S_PORT"]), context=ctx)
        p.user(user); p.pass_(users[user])
        count = p.stat()[0]; p.quit()
        if count >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
PY
# Both accounts pull their mail into the profile's store, through the same core the GUI uses.
"$cli" --profile "$profile" sync "Bob (POP3)" >&2
"$cli" --profile "$profile" sync "Alice (IMAP)" >&2
echo "demo: profile with two accounts in $profile; demo messages delivered" >&2
