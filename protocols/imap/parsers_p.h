// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The response families' parsers, each reading from just after its keyword. Internal to the codec.
#include "imap/cursor.h"
#include "imap/response.h"

namespace tern::imap::detail {

ResponseCode parseResponseCode(Cursor &c);
QDateTime parseInternalDate(QByteArrayView text);
QString decodeMailboxName(const QByteArray &raw, bool utf8);

CapabilityData parseCapability(Cursor &c);
ListData parseList(Cursor &c, bool lsub, bool utf8);
StatusData parseStatus(Cursor &c, bool utf8);
FlagsData parseFlags(Cursor &c);
VanishedData parseVanished(Cursor &c);
SearchData parseSearch(Cursor &c);
SortData parseSort(Cursor &c);
ESearchData parseESearch(Cursor &c);
EnabledData parseEnabled(Cursor &c);
IdData parseId(Cursor &c);
NamespaceData parseNamespace(Cursor &c);
ThreadData parseThread(Cursor &c);

FetchData parseFetch(Cursor &c, quint32 sequence);
Envelope parseEnvelope(Cursor &c, int depth);
BodyStructure parseBody(Cursor &c, int depth);

} // namespace tern::imap::detail
