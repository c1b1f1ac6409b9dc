// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The sans-I/O session over a real socket to the lab's Dovecot, for the lab tests. The socket glue is
// test-local, a few lines: the product transport (ImapClient) is tested on its own.
#include "imap/session.h"
#include "labenv.h"

#include <QDeadlineTimer>
#include <QSslConfiguration>
#include <QSslSocket>

namespace tern::imap::test {

using Kind = Session::Event::Kind;

// Moves bytes between a socket and a Session, collecting events until a condition holds.
class Driver
{
public:
    explicit Driver(const tern::test::LabEnv &lab) : session(Session::Options{})
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(lab.caCertificates());
        config.setProtocol(QSsl::TlsV1_2OrLater);
        socket.setSslConfiguration(config);
        socket.setPeerVerifyName(QStringLiteral("localhost"));
        socket.connectToHost(lab.host(), lab.port(QStringLiteral("IMAP")));
        if (socket.waitForConnected(10000))
            session.connected(false);
    }

    // Pumps until an event of `kind` (optionally for `tag`) arrives; false on timeout or close.
    bool waitFor(Kind kind, const QByteArray &tag = {})
    {
        QDeadlineTimer deadline(15000);
        for (;;) {
            flush();
            for (qsizetype i = scanned; i < events.size(); ++i) {
                scanned = i + 1;
                if (events[i].kind == kind && (tag.isEmpty() || events[i].result.tag == tag))
                    return true;
                if (events[i].kind == Kind::Closed && kind != Kind::Closed)
                    return false;
            }
            if (deadline.hasExpired() || socket.state() != QAbstractSocket::ConnectedState)
                return false;
            if (!socket.waitForReadyRead(200) && !socket.isEncrypted() && handshaking)
                socket.waitForEncrypted(200);
            if (handshaking && socket.isEncrypted()) {
                handshaking = false;
                session.tlsEstablished();
            }
            const QByteArray bytes = socket.readAll();
            if (!bytes.isEmpty())
                session.receive(bytes);
        }
    }

    const Session::Event &last() const { return events[scanned - 1]; }

    // Pumps until an untagged response that `match` accepts arrives; false on timeout or close.
    template<typename Match> bool waitForUntagged(Match match)
    {
        while (waitFor(Kind::Untagged)) {
            if (match(last().response))
                return true;
        }
        return false;
    }

    // Sends `command`, pumps until it finishes and returns the untagged responses that came meanwhile;
    // `result` receives how it finished (error None when it never finished).
    QList<Response> run(Command command, Session::Result *result = nullptr)
    {
        const qsizetype before = events.size();
        const QByteArray tag = session.send(std::move(command));
        QList<Response> out;
        Session::Result finished;
        finished.error = Session::Error::ConnectionClosed;
        if (!tag.isEmpty() && waitFor(Kind::CommandFinished, tag))
            finished = last().result;
        for (qsizetype i = before; i < events.size(); ++i) {
            if (events[i].kind == Kind::Untagged)
                out.append(events[i].response);
        }
        if (result)
            *result = finished;
        return out;
    }

    QList<Response> untagged() const
    {
        QList<Response> out;
        for (const Session::Event &e : events) {
            if (e.kind == Kind::Untagged)
                out.append(e.response);
        }
        return out;
    }

    Session session;
    QSslSocket socket;
    QList<Session::Event> events;

private:
    void flush()
    {
        const QByteArray out = session.takeOutgoing();
        if (!out.isEmpty()) {
            socket.write(out);
            socket.flush();
        }
        for (Session::Event &e : session.takeEvents()) {
            if (e.kind == Kind::StartTlsHandshake) {
                handshaking = true;
                socket.startClientEncryption();
            }
            events.append(std::move(e));
        }
    }

    qsizetype scanned = 0;
    bool handshaking = false;
};

inline bool loggedIn(Driver &d, const tern::test::LabEnv::User &user)
{
    if (!d.waitFor(Kind::Ready) || !d.session.isTlsActive())
        return false;
    d.session.login(user.address.toUtf8(), user.password.toUtf8());
    return d.waitFor(Kind::Authenticated);
}

} // namespace tern::imap::test
