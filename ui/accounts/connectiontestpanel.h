// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "accounts/certificatedialog.h"
#include "sync/accountcheck.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace tern::ui {



// "Test connection": runs AccountCheck without blocking the window and says what happened in plain words;
// "Show details" reveals the server's own words. A certificate that fails validation opens the
// certificate dialog; a pin the user accepts is handed out (certificatePinned) and the test runs again.
class ConnectionTestPanel : public QWidget
{
    Q_OBJECT

public:
    // Fills the account to test and its password; false when the form is not ready (nothing runs).
    using AccountSource = std::function<bool(accounts::Account *account, QByteArray *password)>;

    explicit ConnectionTestPanel(QWidget *parent = nullptr);
    void setAccountSource(AccountSource source) { m_source = std::move(source); }

    void startTest();
    bool isRunning() const { return m_check != nullptr; }
    bool hasSucceeded() const { return m_succeeded; }

    QPushButton *testButton() const { return m_test; }
    QPushButton *detailsButton() const { return m_detailsButton; }
    QLabel *resultLabel() const { return m_result; }
    QTextBrowser *detailsView() const { return m_details; }
    CertificateDialog *certificateDialog() const { return m_certificateDialog; }

    static QString plainReason(sync::AccountCheck::Error error);
    // Forgets the last result: the settings it was about have changed.
    void clearResult();

Q_SIGNALS:
    void certificatePinned(const tern::accounts::CertificatePin &pin);
    void testFinished(bool succeeded);

private:
    void checkFinished();
    void showCertificate(const accounts::Account &account, bool smtp);
    void setResult(const QString &summary, const QString &details, bool ok);

    AccountSource m_source;
    QPushButton *m_test = nullptr;
    QPushButton *m_detailsButton = nullptr;
    QLabel *m_result = nullptr;
    QTextBrowser *m_details = nullptr;
    sync::AccountCheck *m_check = nullptr;
    accounts::Account m_tested;
    QPointer<CertificateDialog> m_certificateDialog;
    bool m_succeeded = false;
};

} // namespace tern::ui
