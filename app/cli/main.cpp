// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli: the headless front on the same core. Its commands, options and JSON fields are a contract
// that end-to-end checks rely on: see the core issue, and keep them stable.
#include "cli.h"
#include "profile.h"
#include "sync/tlspreload.h"

#include <tern/version.h>

#include <QCoreApplication>
#include <QHash>
#include <QtCrypto>

#include <thread>

using namespace tern::cli;

namespace {

const char kUsage[] =
    "usage: tern-cli [--profile DIR] COMMAND ...\n"
    "  account add NAME --email ADDR [--display-name TEXT] --incoming imap|pop3 --incoming-host H\n"
    "              --incoming-port P --incoming-security tls|starttls|none --smtp-host H --smtp-port P\n"
    "              --smtp-security tls|starttls|none --user U --password-stdin [--ca-file PEM]\n"
    "  account list [--json] | account test NAME\n"
    "  sync NAME [--folder F] [--offline-bodies] | folders NAME [--json] | list NAME [--folder F] [--json]\n"
    "  show NAME --folder F --id ID [--raw | --json] | search NAME QUERY [--json]\n"
    "  send NAME --to ADDR... [--cc ADDR...] [--bcc ADDR...] --subject S (--body TEXT | --body-file F)\n"
    "       [--html-file F] [--attach FILE]...\n"
    "  outbox NAME [--json] [--send-again ID | --mark-sent ID | --discard ID | --flush]\n"
    "  parse FILE --json\n"
    "  --version | --help\n"
    "Secrets go to the OS keyring, or to an encrypted vault unlocked by TERN_PRIMARY_PASSWORD.\n";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tern-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TERN_VERSION_STRING));
    QCA::Initializer qcaInit;

    QStringList args = app.arguments().mid(1);
    Context ctx;
    ctx.profileDirectory = tern::core::Profile::defaultDirectory();
    while (!args.isEmpty() && args.first().startsWith(QLatin1StringView("--"))) {
        const QString option = args.takeFirst();
        if (option == QLatin1StringView("--version")) {
            printOut(QStringLiteral("tern-cli " TERN_VERSION_STRING));
            return Ok;
        }
        if (option == QLatin1StringView("--help")) {
            printOut(QString::fromLatin1(kUsage));
            return Ok;
        }
        if (option == QLatin1StringView("--profile") && !args.isEmpty()) {
            ctx.profileDirectory = args.takeFirst();
        } else if (option.startsWith(QLatin1StringView("--profile="))) {
            ctx.profileDirectory = option.mid(10);
        } else {
            return fail(QStringLiteral("unknown option %1 (see --help)").arg(option), Usage);
        }
    }
    if (args.isEmpty())
        return fail(QStringLiteral("no command given (see --help)"), Usage);

    const QString command = args.takeFirst();
    ctx.args = args;
    // The commands that connect read Qt's CA store on another core while the vault and the store open.
    std::jthread tlsPreload;
    if (QStringList{QStringLiteral("account"), QStringLiteral("sync"), QStringLiteral("send"), QStringLiteral("outbox")}
            .contains(command))
        tlsPreload = std::jthread(&tern::sync::preloadTls);
    using Handler = int (*)(const Context &);
    static const QHash<QString, Handler> commands{{QStringLiteral("account"), accountCommand},
                                                  {QStringLiteral("folders"), foldersCommand},
                                                  {QStringLiteral("list"), listCommand},
                                                  {QStringLiteral("search"), searchCommand},
                                                  {QStringLiteral("show"), showCommand},
                                                  {QStringLiteral("parse"), parseCommand},
                                                  {QStringLiteral("sync"), syncCommand},
                                                  {QStringLiteral("send"), sendCommand},
                                                  {QStringLiteral("outbox"), outboxCommand}};
    if (const Handler handler = commands.value(command))
        return handler(ctx);
    return fail(QStringLiteral("unknown command '%1' (see --help)").arg(command), Usage);
}
