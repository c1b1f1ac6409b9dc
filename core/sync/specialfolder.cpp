// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/specialfolder.h"

namespace tern::sync {

QByteArray specialFolder(const ListedFolders &listed, QByteArrayView attribute, QByteArrayView name)
{
    for (const auto &[folder, flags] : listed) {
        for (const QByteArray &f : flags) {
            if (f.compare(attribute, Qt::CaseInsensitive) == 0)
                return folder;
        }
    }
    for (const auto &[folder, flags] : listed) {
        if (folder == name)
            return folder;
    }
    return {};
}

} // namespace tern::sync
