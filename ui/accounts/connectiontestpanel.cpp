// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/connectiontestpanel.h"

#include "accounts/certificatedialog.h"
#include "sync/certificateprobe.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <utility>

namespace tern::ui {

ConnectionTestPanel::ConnectionTestPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    m_test = new QPushButton(tr("&Test Connection"));
    m_test->setObjectName(QStringLiteral("testConnectionButton"));
    m_test->setAccessibleName(tr("Test connection to the incoming and outgoing servers"));
    m_detailsButton = new QPushButton(tr("Show &Details"));
    m_detailsButton->setObjectName(QStringLiteral("showDetailsButton"));
    m_detailsButton->setAccessibleName(tr("Show the servers' own words"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setEnabled(false);
    row->addWidget(m_test);
    row->addWidget(m_detailsButton);
    row->addStretch();
    layout->addLayout(row);

    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("testResultLabel"));
    m_result->setAccessibleName(tr("Connection test result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("testDetailsView"));
    m_details->setAccessibleName(tr("Connection test details"));
    m_details->setVisible(false);
    layout->addWidget(m_details, 1);

    connect(m_test, &QPushButton::clicked, this, &ConnectionTestPanel::startTest);
    connect(m_detailsButton, &QPushButton::toggled, this, [this](bool on) {
        m_details->setVisible(on);
        m_detailsButton->setText(on ? tr("Hide &Details") : tr("Show &Details"));
    });
}

QString ConnectionTestPanel::plainReason(sync::AccountCheck::Error error)
{
    using Error = sync::AccountCheck::Error;
    switch (error) {
    case Error::None: return {};
    case Error::Unsupported: return tr("Tern cannot test this kind of account yet.");
    case Error::Certificate: return tr("The server's certificate is not trusted, so Tern did not send your password.");
    case Error::Tls: return tr("A secure connection to the server could not be set up.");
    case Error::Connection: return tr("Tern could not reach the server. Check the host name and port.");
    case Error::Authentication: return tr("The server did not accept the user name or password.");
    case Error::Protocol: return tr("The server answered in a way Tern does not understand.");
    case Error::Timeout: return tr("The server stopped answering.");
    }
    return tr("The test failed.");
}

void ConnectionTestPanel::startTest()
{
    if (m_check)
        return;
    accounts::Account account;
    QByteArray password;
    if (!m_source || !m_source(&account, &password)) {
        setResult(tr("Complete the server settings first."), {}, false);
        return;
    }
    m_tested = account;
    m_succeeded = false;
    m_check = new sync::AccountCheck(account, password, password, this);
    password.fill('\0');
    connect(m_check, &sync::AccountCheck::finished, this, &ConnectionTestPanel::checkFinished);
    m_test->setEnabled(false);
    m_detailsButton->setEnabled(false);
    m_result->setText(tr("Testing the connection to %1 and %2…").arg(account.incoming.host, account.smtp.host));
    m_check->start();
}

void ConnectionTestPanel::checkFinished()
{
    sync::AccountCheck *check = std::exchange(m_check, nullptr);
    check->deleteLater();
    m_test->setEnabled(true);

    QStringList details;
    for (const sync::AccountCheck::ServerReport &r : check->reports()) {
        const QString role = r.role == QLatin1StringView("smtp") ? tr("Outgoing (SMTP)") : tr("Incoming");
        details << tr("%1 %2: %3; logged in with %4").arg(role, r.address, r.tls, r.login.isEmpty() ? tr("(unknown)") : r.login);
        if (!r.capabilities.isEmpty())
            details << tr("  Capabilities: %1").arg(r.capabilities.join(QLatin1String(", ")));
    }
    if (check->error() == sync::AccountCheck::Error::None) {
        m_succeeded = true;
        QStringList summary;
        for (const sync::AccountCheck::ServerReport &r : check->reports()) {
            QStringList offers; // the capabilities a user may care about, not the whole list
            for (const QString &c : r.capabilities) {
                const QString word = c.section(QLatin1Char(' '), 0, 0).toUpper();
                for (const char *interesting : {"IDLE", "CONDSTORE", "QRESYNC", "MOVE", "UIDL", "PIPELINING", "SIZE",
                                                "8BITMIME", "SMTPUTF8", "CHUNKING", "DSN"}) {
                    if (word != QLatin1StringView(interesting) || offers.contains(word))
                        continue;
                    // RFC 1870: SIZE carries the largest message the server accepts.
                    const qint64 size = c.section(QLatin1Char(' '), 1, 1).toLongLong();
                    offers << (word == QLatin1StringView("SIZE") && size > 0
                                   ? tr("messages up to %1").arg(QLocale().formattedDataSize(size))
                                   : word);
                }
            }
            summary << tr("%1: %2, logged in with %3%4")
                           .arg(r.role == QLatin1StringView("smtp") ? tr("Outgoing") : tr("Incoming"), r.tls, r.login,
                                offers.isEmpty() ? QString() : tr("; offers %1").arg(offers.join(QLatin1String(", "))));
        }
        setResult(tr("Both servers accepted your settings.") + QLatin1Char('\n') + summary.join(QLatin1Char('\n')),
                  details.join(QLatin1Char('\n')), true);
        Q_EMIT testFinished(true);
        return;
    }
    details << check->errorString();
    if (!check->serverText().isEmpty())
        details << tr("The server said: %1").arg(check->serverText());
    setResult(plainReason(check->error()), details.join(QLatin1Char('\n')), false);
    if (check->error() == sync::AccountCheck::Error::Certificate) {
        // The incoming server is tested first: if it has no report, it is the one that failed.
        const bool smtp = !check->reports().isEmpty();
        showCertificate(m_tested, smtp);
    }
    Q_EMIT testFinished(false);
}

void ConnectionTestPanel::showCertificate(const accounts::Account &account, bool smtp)
{
    auto *probe = new sync::CertificateProbe(account, smtp ? sync::CertificateProbe::Role::Smtp
                                                           : sync::CertificateProbe::Role::Incoming, this);
    connect(probe, &sync::CertificateProbe::finished, this, [this, probe] {
        probe->deleteLater();
        const auto certificate = probe->certificate();
        if (!certificate)
            return;
        auto *dialog = new CertificateDialog(*certificate, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_certificateDialog = dialog;
        const accounts::CertificatePin pin = certificate->pin();
        connect(dialog, &QDialog::accepted, this, [this, pin] {
            Q_EMIT certificatePinned(pin);
            startTest();
        });
        dialog->open(); // window-modal, never a nested event loop
    });
    probe->start();
}

void ConnectionTestPanel::clearResult()
{
    if (m_check)
        return;
    m_succeeded = false;
    setResult({}, {}, false);
    m_detailsButton->setChecked(false);
}

void ConnectionTestPanel::setResult(const QString &summary, const QString &details, bool ok)
{
    m_result->setText(summary);
    m_result->setVisible(!summary.isEmpty());
    // A wrapped label does not tell the layout how tall it is: reserve its lines explicitly.
    m_result->setMinimumHeight(summary.isEmpty() ? 0 : m_result->heightForWidth(qMax(m_result->width(), 400)));
    m_result->setStyleSheet(ok ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
    m_details->setPlainText(details);
    m_detailsButton->setEnabled(!details.isEmpty());
}

} // namespace tern::ui
