#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every string a user reads in ui/ goes through tr() (issue 7): a text, title, tip, label or accessible name
# set from a bare literal fails here. Literals that are not words for people (object names, style sheets,
# icon names) are set through other calls and are not matched.
set -u
src=${1:?source dir}
setters='setText|setWindowTitle|setToolTip|setPlaceholderText|setStatusTip|setWhatsThis|showMessage|setTitle|setSubTitle|addTab|setTabText|setAccessibleName|setAccessibleDescription|setLabelText|setInformativeText|setDetailedText|addMenu|setButtonText'
hits=$(grep -rnE --include='*.cpp' --include='*.h' "($setters)\((QStringLiteral|QLatin1String|QString::from(Latin1|Utf8)|u?\")" "$src/ui" 2>/dev/null)
hits+=$'\n'$(grep -rnE --include='*.cpp' "(new QAction|new QPushButton|new QLabel|new QCheckBox|new QGroupBox|new QRadioButton)\((QStringLiteral|u?\")" "$src/ui" 2>/dev/null)
hits=$(sed '/^$/d' <<<"$hits")
if [[ -n $hits ]]; then
    echo "tr: user-visible literals not translated:"
    echo "$hits"
    exit 1
fi
echo "tr: ok"
