// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox/outboxitem.h"

#include <QJsonArray>

#include <array>
#include <utility>

namespace tern::outbox {

namespace {

constexpr std::array kStates{
    std::pair{State::Queued, "queued"},
    std::pair{State::Sending, "sending"},
    std::pair{State::DataSent, "data-sent"},
    std::pair{State::Sent, "sent"},
    std::pair{State::FailedTemporary, "failed-temporary"},
    std::pair{State::FailedPermanent, "failed-permanent"},
    std::pair{State::DeliveryUncertain, "delivery-uncertain"},
};

constexpr std::array kCopyStates{
    std::pair{SentCopyState::None, "none"},
    std::pair{SentCopyState::Pending, "pending"},
    std::pair{SentCopyState::Done, "done"},
    std::pair{SentCopyState::Failed, "failed"},
};

template<typename Table, typename Value>
QString nameIn(const Table &table, Value value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename Value, typename Table>
std::optional<Value> valueIn(const Table &table, const QString &name)
{
    for (const auto &[v, n] : table) {
        if (name == QLatin1StringView(n))
            return v;
    }
    return std::nullopt;
}

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList list(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

QString stateName(State state) { return nameIn(kStates, state); }
std::optional<State> stateFromName(const QString &name) { return valueIn<State>(kStates, name); }
QString sentCopyStateName(SentCopyState state) { return nameIn(kCopyStates, state); }
std::optional<SentCopyState> sentCopyStateFromName(const QString &name) { return valueIn<SentCopyState>(kCopyStates, name); }

QJsonObject Envelope::toJson() const
{
    return QJsonObject{{QStringLiteral("from"), from},
                       {QStringLiteral("to"), array(to)},
                       {QStringLiteral("cc"), array(cc)},
                       {QStringLiteral("bcc"), array(bcc)},
                       {QStringLiteral("rcpt"), array(rcpt)},
                       {QStringLiteral("subject"), subject}};
}

Envelope Envelope::fromJson(const QJsonObject &json)
{
    Envelope e;
    e.from = json.value(QStringLiteral("from")).toString();
    e.to = list(json.value(QStringLiteral("to")));
    e.cc = list(json.value(QStringLiteral("cc")));
    e.bcc = list(json.value(QStringLiteral("bcc")));
    e.rcpt = list(json.value(QStringLiteral("rcpt")));
    e.subject = json.value(QStringLiteral("subject")).toString();
    return e;
}

QJsonObject Receipt::toJson() const
{
    return QJsonObject{{QStringLiteral("server"), server}, {QStringLiteral("reply"), reply}, {QStringLiteral("tls"), tls}};
}

Receipt Receipt::fromJson(const QJsonObject &json)
{
    return Receipt{json.value(QStringLiteral("server")).toString(), json.value(QStringLiteral("reply")).toString(),
                   json.value(QStringLiteral("tls")).toString()};
}

} // namespace tern::outbox
