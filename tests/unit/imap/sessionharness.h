// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test support for session tests without sockets (STYLE.md tier 2): play the server's lines into a
// Session and read back exactly what it wrote and which events it raised. Synchronous, no event loop.
#include "imap/session.h"

#include <QByteArray>
#include <QList>

namespace tern::imap::test {

struct Harness
{
    explicit Harness(Session::Options options = {}) : session(std::move(options)) { }

    // The server says `bytes`; returns what the client wrote in reply.
    QByteArray server(QByteArrayView bytes)
    {
        session.receive(bytes);
        return take();
    }
    QByteArray take() { return session.takeOutgoing(); }

    QList<Session::Event> events()
    {
        const QList<Session::Event> e = session.takeEvents();
        seen += e;
        return e;
    }
    QList<Session::Event::Kind> kinds()
    {
        QList<Session::Event::Kind> out;
        for (const Session::Event &e : events())
            out.append(e.kind);
        return out;
    }

    Session session;
    QList<Session::Event> seen;
};

inline Session::Options cleartext()
{
    Session::Options o;
    o.tls = Session::TlsMode::CleartextAllowed;
    return o;
}

// Logs in over an allowed cleartext connection with the given capabilities, events drained.
inline void logIn(Harness &h, QByteArrayView caps = "IMAP4rev1 IDLE ENABLE CONDSTORE QRESYNC")
{
    h.session.connected(false);
    h.server(QByteArray("* OK [CAPABILITY " + caps.toByteArray() + "] ready\r\n"));
    h.session.login("fred", "secret");
    h.take();
    h.server(QByteArray("A1 OK [CAPABILITY " + caps.toByteArray() + "] Logged in\r\n"));
    h.events();
}

} // namespace tern::imap::test
