// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace tern::mime {

// One mailbox of an address header (RFC 5322 3.4), ready to show.
struct Mailbox
{
    QString name;    // display name: RFC 2047-decoded, control and bidi characters removed, '<' '>' neutralised
    QString address; // local@domain; an IDN domain is shown in Unicode (QUrl::fromAce)
    QString group;   // the group it was listed in (RFC 5322 3.4 "group"), or empty
    // The decoded display name carried something meant to pass for an address or to break the line
    // (an '@', '<...>', NUL, CR/LF: the Mailsploit class, SECURITY.md D1). The UI should show the address.
    bool suspiciousName = false;

    // "name <address>" or the bare address. The real address is always part of it.
    QString displayString() const;
    // The address with the domain in ASCII (IDNA "xn--" form), for sending and comparing.
    QString aceAddress() const;
    bool isValid() const { return address.contains(QLatin1Char('@')); }
};

inline constexpr int kMaxAddresses = 1000;

// Parses an address-list or mailbox-list (From, To, Cc, Reply-To, Sender ...), unfolded value. Tolerates
// obsolete syntax (routes, missing commas between angle addresses, comments as names, unquoted dots in
// names) and raw UTF-8 (RFC 6532). Empty groups contribute nothing. At most kMaxAddresses are returned.
std::vector<Mailbox> parseAddressList(QByteArrayView value);

// Makes a decoded display name safe to show (see Mailbox::suspiciousName); returns whether it changed
// anything meaningful.
bool neutraliseDisplayName(QString &name);

} // namespace tern::mime
