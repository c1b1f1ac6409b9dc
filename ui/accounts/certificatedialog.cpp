// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/certificatedialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::ui {

namespace {

QLabel *valueLabel(const QString &text, const QString &accessibleName)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setAccessibleName(accessibleName);
    label->setAccessibleDescription(text);
    return label;
}

} // namespace

QString CertificateDialog::formatFingerprint(const QByteArray &sha256)
{
    // Two lines of 16 bytes: readable aloud and comparable with what an administrator publishes.
    const QString hex = QString::fromLatin1(sha256.toHex(':').toUpper());
    return hex.size() > 48 ? hex.left(47) + QLatin1Char('\n') + hex.mid(48) : hex;
}

CertificateDialog::CertificateDialog(const sync::CertificateDetails &c, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Untrusted Certificate"));
    setObjectName(QStringLiteral("CertificateDialog"));
    setAccessibleName(tr("Untrusted certificate"));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>The identity of %1 (port %2) could not be verified.</b><br>"
                                "Someone could be impersonating the server to read your password and your mail. "
                                "Accept this certificate only if you know why it is not trusted, for example "
                                "because your organisation runs its own certificate authority, and its "
                                "fingerprint matches the one your administrator gave you.")
                                 .arg(c.host.toHtmlEscaped())
                                 .arg(c.port));
    intro->setWordWrap(true);
    intro->setAccessibleName(tr("Warning"));
    layout->addWidget(intro);
    layout->addSpacing(8);

    auto *form = new QFormLayout;
    const QLocale locale;
    QStringList reasons;
    for (const QString &p : c.problems)
        reasons << QStringLiteral("• ") + p;
    const QString why = reasons.isEmpty() ? tr("The certificate was not accepted.") : reasons.join(QLatin1Char('\n'));
    form->addRow(tr("Problem:"), valueLabel(why, tr("Why the certificate failed")));
    form->addRow(tr("Issued to:"), valueLabel(c.subject, tr("Issued to")));
    form->addRow(tr("Issued by:"), valueLabel(c.issuer, tr("Issued by")));
    form->addRow(tr("Valid from:"), valueLabel(locale.toString(c.effectiveDate, QLocale::LongFormat), tr("Valid from")));
    form->addRow(tr("Valid until:"), valueLabel(locale.toString(c.expiryDate, QLocale::LongFormat), tr("Valid until")));
    auto *fingerprint = valueLabel(formatFingerprint(c.sha256), tr("SHA-256 fingerprint"));
    fingerprint->setObjectName(QStringLiteral("fingerprintLabel"));
    fingerprint->setFont(QFont(QStringLiteral("monospace")));
    form->addRow(tr("SHA-256 fingerprint:"), fingerprint);
    layout->addLayout(form);
    layout->addSpacing(8);

    m_understood = new QCheckBox(tr("I have checked the fingerprint and trust this certificate for %1:%2")
                                     .arg(c.host)
                                     .arg(c.port));
    m_understood->setAccessibleName(tr("Confirm that the fingerprint was checked"));
    layout->addWidget(m_understood);

    auto *buttons = new QDialogButtonBox;
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setAccessibleName(tr("Cancel and do not connect"));
    m_accept = buttons->addButton(tr("Accept &Permanently"), QDialogButtonBox::AcceptRole);
    m_accept->setObjectName(QStringLiteral("acceptPermanentlyButton"));
    m_accept->setAccessibleName(tr("Accept this certificate permanently for this server"));
    m_accept->setEnabled(false);
    m_accept->setAutoDefault(false);
    m_cancel->setDefault(true); // Enter never accepts an untrusted certificate
    m_cancel->setFocus();
    connect(m_understood, &QCheckBox::toggled, m_accept, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(600);
}

} // namespace tern::ui
