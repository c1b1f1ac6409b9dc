#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The dependency direction is one way: protocols -> core -> ui -> app. This fails when a file includes
# across it: protocols/ with core/ui/Widgets/SQL, core/ with Widgets or ui/, ui/ with protocols/.
set -u
src=${1:?source dir}
bad=0
check() { # DIR REGEX WHY
    local hits
    hits=$(grep -rnE --include='*.h' --include='*.cpp' "$2" "$src/$1" 2>/dev/null)
    if [[ -n $hits ]]; then echo "layering: $1/ $3:"; echo "$hits"; bad=1; fi
}
check protocols '#include [<"](Qt?Widgets|QtSql|QSql|QWidget|QApplication|mainwindow|store/|accounts/|mime/|sqlite3)' \
    "must depend on QtCore/QtNetwork only (no widgets, SQL or core)"
check core '#include [<"](QtWidgets|QWidget|QApplication|QMainWindow|QDialog|mainwindow)' "must not use widgets"
check ui '#include [<"](smtp/|imap/|pop3/|sasl/|common/linebuffer|common/trace)' "must not include protocols/"
[[ $bad == 0 ]] && echo "layering: ok"
exit $bad
