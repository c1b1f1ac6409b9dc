// SPDX-License-Identifier: GPL-3.0-or-later
// The IMAP session under arbitrary server bytes (SECURITY.md P4/P5): whatever the server says, in any
// state, the state machine neither crashes nor writes a credential before TLS when TLS is required.
#include "imap/session.h"

#include <cstdint>
#include <cstdlib>

using namespace tern::imap;

namespace {

class Mechanism : public SaslMechanism
{
public:
    QByteArray name() const override { return "PLAIN"; }
    std::optional<QByteArray> initialResponse() override { return QByteArray("\0u\0secret-pw", 12); }
    std::optional<QByteArray> respond(QByteArrayView c) override
    {
        if (c.size() % 2)
            return std::nullopt;
        return QByteArray("secret-pw");
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    Session::Options options;
    options.tls = data[0] % 3 == 0 ? Session::TlsMode::CleartextAllowed : Session::TlsMode::StartTls;
    qint64 now = 0;
    options.clock = [&now] { return now; };
    ResponseParser::Limits limits;
    limits.maxLine = 4096;
    limits.maxLiteral = 4096;
    options.limits = limits;
    Session session(options);
    const bool tlsRequired = options.tls != Session::TlsMode::CleartextAllowed;
    session.connected(false);
    const size_t step = 1 + data[1] % 48;
    int action = 0;
    for (size_t i = 2; i < size; i += step) {
        session.receive(QByteArrayView(reinterpret_cast<const char *>(data + i), qsizetype(std::min(step, size - i))));
        // Owner actions in between, in a fixed rotation, so every state gets visited.
        switch (action++ % 9) {
        case 0: session.login("user", "secret-pw"); break;
        case 1: session.authenticate(std::make_unique<Mechanism>()); break;
        case 2: session.select("INBOX"); break;
        case 3: session.idle(); break;
        case 4: now += 29 * 60 * 1000; session.tick(); break;
        case 5: session.send(commands::uidFetch({{1, SequenceSet::Star}}, {"FLAGS"})); break;
        case 6: session.stopIdle(); break;
        case 7: if (session.state() == Session::State::TlsHandshake) session.tlsEstablished(); break;
        case 8: session.compress(); break;
        }
        const QByteArray out = session.takeOutgoing();
        // T1: with TLS required, nothing secret leaves before the handshake.
        if (tlsRequired && !session.isTlsActive() && (out.contains("secret-pw") || out.contains("c2VjcmV0LXB3")))
            std::abort();
        session.takeEvents();
    }
    session.disconnected();
    session.takeEvents();
    return 0;
}
