# SPDX-License-Identifier: GPL-3.0-or-later
# Captures dovecot-fetch.txt from a running lab (./tern.sh lab start), run inside the build root:
#   ./tern.sh shell -c 'python3 tests/data/imap/capture.py <fresh-user-suffix>'
# Appends capture-message.eml and a second message with 8-bit and quoted names, then saves the raw
# UID FETCH response bytes exactly as the server sent them.
import socket, sys, re
env = dict(l.strip().split('=',1) for l in open('build/lab-manual/lab.env') if '=' in l)
port = int(env['TERN_LAB_IMAP_PORT'])
s = socket.create_connection(('127.0.0.1', port))
buf = b''
def read_until(tag):
    global buf
    while True:
        i = buf.find(tag + b' ')
        if i >= 0 and (i == 0 or buf[i-2:i] == b'\r\n'):
            j = buf.find(b'\r\n', i)
            if j >= 0:
                out = buf[:j+2]; buf = buf[j+2:]; return out
        d = s.recv(65536)
        if not d: raise SystemExit('closed')
        buf += d
def cmd(tag, line, lit=None):
    s.sendall(tag + b' ' + line + b'\r\n' + (lit + b'\r\n' if lit is not None else b''))
    return read_until(tag)
while b'\r\n' not in buf: buf += s.recv(4096)
buf = buf[buf.find(b'\r\n')+2:]
print(cmd(b'a1', b'LOGIN capture-' + sys.argv[1].encode() + b'@lab.test lab-password')[-60:])
msg = open('tests/data/imap/capture-message.eml','rb').read()
print(cmd(b'a2', b'APPEND INBOX (\\Flagged $Forwarded) "05-Mar-2024 14:07:09 +0100" {%d+}' % len(msg), msg)[-80:])
msg2 = b'From: =?utf-8?q?J=C3=BCrgen?= <j@x.test>, "Quote \\"Q\\"" <q@x.test>\r\nTo: undisclosed-recipients:;\r\nSubject: plain \xc3\xa4\r\n\r\nhi\r\n'
print(cmd(b'a3', b'APPEND INBOX {%d+}' % len(msg2), msg2)[-80:])
print(cmd(b'a4', b'SELECT INBOX')[-60:])
out = cmd(b'a5', b'UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
open('tests/data/imap/dovecot-fetch.txt','wb').write(out)
cmd(b'a6', b'LOGOUT')
print(out.decode('utf-8','replace'))
