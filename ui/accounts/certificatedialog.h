// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sync/certificateprobe.h"

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace tern::ui {

// Shown when a server's certificate fails validation (SECURITY.md T6): who it names, who issued it, its
// SHA-256 fingerprint (to compare with what the server's administrator publishes), its validity and why it
// failed. Cancel is the default; "Accept permanently" pins this exact certificate for this host and port.
class CertificateDialog : public QDialog
{
    Q_OBJECT

public:
    explicit CertificateDialog(const sync::CertificateDetails &certificate, QWidget *parent = nullptr);

    QPushButton *acceptButton() const { return m_accept; }
    QPushButton *cancelButton() const { return m_cancel; }
    QCheckBox *understoodBox() const { return m_understood; }

    static QString formatFingerprint(const QByteArray &sha256);

private:
    QPushButton *m_accept = nullptr;
    QPushButton *m_cancel = nullptr;
    QCheckBox *m_understood = nullptr;
};

} // namespace tern::ui
