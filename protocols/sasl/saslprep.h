// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace tern::sasl {

// SASLprep, RFC 4013: the stringprep profile SCRAM applies to user names and passwords (RFC 5802 §2.2,
// "Normalize"). Non-ASCII spaces become SP, "mapped to nothing" characters vanish, NFKC, then prohibited
// characters and the bidi rule (RFC 3454 §6) make the string unusable: nothing is returned.
// Unassigned code points are allowed (stored strings, RFC 4013 §2.5 "queries").
std::optional<QString> saslPrep(const QString &input);

} // namespace tern::sasl
