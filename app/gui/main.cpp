// replay-workbench: the desktop workbench. Opens the files given on the
// command line; with --policy (and --reevaluate) loads a policy bundle, with
// --verify-bundle verifies an evidence bundle. `--screenshot OUT.png …`
// renders a scene instead (app/gui/screenshotdriver.h).
#include "app/gui/screenshotdriver.h"
#include "model/visibletext.h"
#include "views/evidence/evidencecontroller.h"
#include "views/filterbar.h"
#include "views/mainwindow.h"
#include "views/policy/policycontroller.h"
#include "views/trace/tracepage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>

namespace {

// Messages quote policy files and names: each line escaped, the breaks kept.
QString visibleLines(const QString& text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines)
        line = rw::visibleText(line);
    return lines.join(QLatin1Char('\n'));
}

QCommandLineOption option(const char* name, const char* help, const char* value = nullptr)
{
    return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value))
                 : QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    // Qt's SVG icon engine is optional; without it the window keeps the platform default
    app.setWindowIcon(QIcon(QStringLiteral(":/replay-workbench/icon.svg")));
    QApplication::setApplicationName(QStringLiteral("replay-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(RW_VERSION));
    QApplication::setOrganizationName(QStringLiteral("ReplayWorkbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Replay Workbench: forensic replay of AI-agent audit logs"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption filter = option("filter", "Start with this trace filter.", "QUERY");
    const QCommandLineOption policy = option("policy", "Load this policy bundle.", "FILE");
    const QCommandLineOption capabilities = option("capabilities", "With --policy: the capability bundle.", "FILE");
    const QCommandLineOption reevaluate =
        option("reevaluate", "After loading, re-evaluate all, filtered or current traces under --policy.", "SCOPE");
    const QCommandLineOption verifyBundle =
        option("verify-bundle", "Verify an evidence bundle (with --screenshot: render the report).", "BUNDLE.zip");
    const QCommandLineOption publicKey = option("public-key", "With --verify-bundle: require this key.", "KEY.pub");
    parser.addOptions({filter, policy, capabilities, reevaluate, verifyBundle, publicKey});
    rw::ScreenshotDriver screenshots(parser);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Audit files to open."), QStringLiteral("[FILE...]"));
    parser.process(app);

    const bool shot = screenshots.requested();
    rw::MainWindow window(rw::MainWindow::Options{!shot});
    if (shot)
        window.resize(1600, 1000);
    window.show();
    if (parser.isSet(filter))
        window.tracePage().filterBar()->setText(parser.value(filter));
    auto* policies = window.feature<rw::PolicyController>();
    if (parser.isSet(policy)) {
        QString error;
        if (!policies->loadPolicy(parser.value(policy), parser.value(capabilities), &error)) {
            std::fprintf(stderr, "Error: policy bundle not loaded:\n%s\n", qPrintable(visibleLines(error)));
            return 2;
        }
    }
    using Scope = rw::PolicyController::Scope;
    Scope scope = Scope::All;
    if (parser.isSet(reevaluate)) {
        const QString v = parser.value(reevaluate);
        if (v == QLatin1String("filtered"))
            scope = Scope::Filtered;
        else if (v == QLatin1String("current"))
            scope = Scope::Current;
        else if (v != QLatin1String("all")) {
            std::fprintf(stderr, "Error: --reevaluate takes all, filtered or current\n");
            return 2;
        }
    }
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    auto* evidence = window.feature<rw::EvidenceController>();
    if (parser.isSet(verifyBundle)) {
        evidence->verifyEvidence(parser.value(verifyBundle), parser.value(publicKey), parser.positionalArguments());
        if (!shot)
            QObject::connect(evidence, &rw::EvidenceController::evidenceVerified, evidence,
                             [evidence](bool) { evidence->showVerification(); }, Qt::SingleShotConnection);
    }
    if (shot)
        return screenshots.run(window, parser.isSet(reevaluate), scope, parser.isSet(verifyBundle));
    if (parser.isSet(reevaluate))
        QObject::connect(&window, &rw::MainWindow::loaded, policies, [policies, scope] { policies->reevaluate(scope); },
                         Qt::SingleShotConnection);
    return QApplication::exec();
}
