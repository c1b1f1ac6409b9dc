#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lab self-test: the lab is only useful if mail really moves through it.

A message submitted on each submission port (STARTTLS on 587-style, implicit TLS on 465-style) must arrive in
the recipient's Dovecot mailbox and read back byte-identical over IMAP (STARTTLS and implicit TLS) and POP3
(STLS and implicit TLS). Python's stock clients are used here only: this checks the lab, not Tern.
"""
import email.utils
import imaplib
import os
import poplib
import smtplib
import ssl
import sys
import time
import uuid


def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            env[key] = value
    return env


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def make_message(sender, rcpt, subject):
    body = ("Grüße aus dem Labor — 8-bit UTF-8 body.\r\n"
            ".a line that starts with a dot\r\n"
            "..and one with two\r\n")
    head = (f"From: {sender}\r\nTo: {rcpt}\r\nSubject: {subject}\r\n"
            f"Date: {email.utils.formatdate()}\r\nMessage-ID: <{uuid.uuid4()}@lab.test>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n")
    return (head + body).encode("utf-8")


def submit(env, ctx, implicit, user, password, rcpt, msg):
    host = env["TERN_LAB_HOST"]
    if implicit:
        s = smtplib.SMTP_SSL(host, int(env["TERN_LAB_SUBMISSIONS_PORT"]), context=ctx, timeout=20)
    else:
        s = smtplib.SMTP(host, int(env["TERN_LAB_SUBMISSION_PORT"]), timeout=20)
        s.starttls(context=ctx)
    s.login(user, password)
    refused = s.sendmail(user, [rcpt], msg)
    s.quit()
    if refused:
        raise AssertionError(f"recipients refused: {refused}")


def body_of(raw):
    """The part after the header block: Postfix and LMTP prepend Received/Return-Path headers."""
    return raw.split(b"\r\n\r\n", 1)[1]


def wait_imap(env, ctx, implicit, user, password, subject, deadline):
    host = env["TERN_LAB_HOST"]
    while True:
        if implicit:
            m = imaplib.IMAP4_SSL(host, int(env["TERN_LAB_IMAPS_PORT"]), ssl_context=ctx, timeout=20)
        else:
            m = imaplib.IMAP4(host, int(env["TERN_LAB_IMAP_PORT"]), timeout=20)
            m.starttls(ssl_context=ctx)
        m.login(user, password)
        m.select("INBOX", readonly=True)
        typ, data = m.search(None, "HEADER", "Subject", f'"{subject}"')
        ids = data[0].split()
        if ids:
            typ, fetched = m.fetch(ids[-1], "(BODY.PEEK[])")
            m.logout()
            return fetched[0][1]
        m.logout()
        if time.monotonic() > deadline:
            raise AssertionError(f"message {subject!r} never arrived over IMAP")
        time.sleep(0.1)  # polling a real server for delivery, bounded by the deadline above


def read_pop3(env, ctx, implicit, user, password, subject):
    host = env["TERN_LAB_HOST"]
    if implicit:
        p = poplib.POP3_SSL(host, int(env["TERN_LAB_POP3S_PORT"]), context=ctx, timeout=20)
    else:
        p = poplib.POP3(host, int(env["TERN_LAB_POP3_PORT"]), timeout=20)
        p.stls(context=ctx)
    p.user(user)
    p.pass_(password)
    count, _ = p.stat()
    for i in range(1, count + 1):
        _, lines, _ = p.retr(i)
        raw = b"\r\n".join(lines) + b"\r\n"
        if f"Subject: {subject}".encode() in raw:
            p.quit()
            return raw
    p.quit()
    raise AssertionError(f"message {subject!r} not found over POP3")


def main():
    env = load_env(sys.argv[1] if len(sys.argv) > 1 else os.environ["TERN_LAB_ENV"])
    ctx = tls_context(env["TERN_LAB_CA"])
    alice, bob = [u.split(":", 1) for u in env["TERN_LAB_USERS"].split()[:2]]
    failures = 0
    for implicit in (False, True):
        subject = f"lab self-test {'implicit' if implicit else 'starttls'} {uuid.uuid4().hex[:8]}"
        msg = make_message(alice[0], bob[0], subject)
        submit(env, ctx, implicit, alice[0], alice[1], bob[0], msg)
        sent_body = body_of(msg)
        deadline = time.monotonic() + 30
        for imap_implicit in (False, True):
            got = body_of(wait_imap(env, ctx, imap_implicit, bob[0], bob[1], subject, deadline))
            ok = got == sent_body
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'}: submission {'465' if implicit else '587'}-style -> "
                  f"IMAP {'implicit TLS' if imap_implicit else 'STARTTLS'}")
        for pop_implicit in (False, True):
            got = body_of(read_pop3(env, ctx, pop_implicit, bob[0], bob[1], subject))
            ok = got == sent_body
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'}: submission {'465' if implicit else '587'}-style -> "
                  f"POP3 {'implicit TLS' if pop_implicit else 'STLS'}")
    # A plaintext login before STARTTLS must be refused: the lab must be as strict as real providers.
    s = smtplib.SMTP(env["TERN_LAB_HOST"], int(env["TERN_LAB_SUBMISSION_PORT"]), timeout=20)
    s.ehlo()
    ok = not s.has_extn("auth")
    s.quit()
    failures += not ok
    print(f"{'PASS' if ok else 'FAIL'}: submission port offers no AUTH before STARTTLS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
