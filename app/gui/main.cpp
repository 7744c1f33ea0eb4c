// replay-workbench: the desktop workbench. Opens the files given on the
// command line; `--screenshot OUT.png [--select-trace ID] [--drawer] FILE...`
// loads, renders the window at a fixed size, saves it and exits.
#include "model/visibletext.h"
#include "views/diffview.h"
#include "views/filterbar.h"
#include "views/mainwindow.h"
#include "views/reevaluationpanel.h"

#include <QApplication>
#include <QIcon>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>

#include <algorithm>
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
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Render the window to OUT.png and exit."),
                                        QStringLiteral("OUT.png"));
    const QCommandLineOption selectTrace(QStringLiteral("select-trace"), QStringLiteral("Select trace ID after loading."),
                                         QStringLiteral("ID"));
    const QCommandLineOption drawer(QStringLiteral("drawer"), QStringLiteral("With --screenshot: open the event drawer on an event."));
    const QCommandLineOption filter(QStringLiteral("filter"), QStringLiteral("Start with this trace filter."), QStringLiteral("QUERY"));
    const QCommandLineOption findings(QStringLiteral("findings"), QStringLiteral("With --screenshot: show the findings panel."));
    const QCommandLineOption event(QStringLiteral("event"), QStringLiteral("With --drawer: the row of the event to show (1-based)."),
                                   QStringLiteral("N"));
    const QCommandLineOption graph(QStringLiteral("graph"), QStringLiteral("With --screenshot: show the execution graph tab."));
    const QCommandLineOption policy(QStringLiteral("policy"), QStringLiteral("Load this policy bundle."), QStringLiteral("FILE"));
    const QCommandLineOption capabilities(QStringLiteral("capabilities"), QStringLiteral("With --policy: the capability bundle."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption reevaluate(QStringLiteral("reevaluate"),
                                        QStringLiteral("After loading, re-evaluate all, filtered or current traces under --policy."),
                                        QStringLiteral("SCOPE"));
    const QCommandLineOption compareWith(QStringLiteral("compare-with"),
                                         QStringLiteral("With --select-trace: compare it (left) with trace ID (right)."),
                                         QStringLiteral("ID"));
    const QCommandLineOption compareReevaluation(QStringLiteral("compare-reevaluation"),
                                                 QStringLiteral("With --select-trace and --policy: compare it with its re-evaluation."));
    const QCommandLineOption compareGraph(QStringLiteral("compare-graph"), QStringLiteral("With --screenshot: show the graph overlay."));
    const QCommandLineOption showBehind(QStringLiteral("show-behind"),
                                        QStringLiteral("With --reevaluate: list the traces behind a count, e.g. flips:allowed->blocked."),
                                        QStringLiteral("SECTION:KEY"));
    const QCommandLineOption verifyBundle(QStringLiteral("verify-bundle"),
                                          QStringLiteral("Verify an evidence bundle (with --screenshot: render the report)."),
                                          QStringLiteral("BUNDLE.zip"));
    const QCommandLineOption publicKey(QStringLiteral("public-key"), QStringLiteral("With --verify-bundle: require this key."),
                                       QStringLiteral("KEY.pub"));
    const QCommandLineOption openEvidence(QStringLiteral("open-evidence"),
                                          QStringLiteral("With --verify-bundle: open the verified bundle's lines."));
    parser.addOptions({verifyBundle, publicKey, openEvidence});
    parser.addOptions({screenshot, selectTrace, drawer, filter, findings, event, graph, policy, capabilities, reevaluate, compareWith,
                       compareReevaluation, compareGraph, showBehind});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Audit files to open."), QStringLiteral("[FILE...]"));
    parser.process(app);

    const bool shot = parser.isSet(screenshot);
    rw::MainWindow window(rw::MainWindow::Options{!shot});
    if (shot)
        window.resize(1600, 1000);
    window.show();
    if (parser.isSet(filter))
        window.filterBar()->setText(parser.value(filter));
    if (parser.isSet(policy)) {
        QString error;
        if (!window.loadPolicy(parser.value(policy), parser.value(capabilities), &error)) {
            std::fprintf(stderr, "Error: policy bundle not loaded:\n%s\n", qPrintable(visibleLines(error)));
            return 2;
        }
    }
    rw::MainWindow::Scope scope = rw::MainWindow::Scope::All;
    if (parser.isSet(reevaluate)) {
        const QString v = parser.value(reevaluate);
        if (v == QLatin1String("filtered"))
            scope = rw::MainWindow::Scope::Filtered;
        else if (v == QLatin1String("current"))
            scope = rw::MainWindow::Scope::Current;
        else if (v != QLatin1String("all")) {
            std::fprintf(stderr, "Error: --reevaluate takes all, filtered or current\n");
            return 2;
        }
    }
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    if (parser.isSet(verifyBundle)) {
        window.verifyEvidence(parser.value(verifyBundle), parser.value(publicKey), parser.positionalArguments());
        if (!shot)
            QObject::connect(&window, &rw::MainWindow::evidenceVerified, &window,
                             [&window](bool) { window.showVerification(); }, Qt::SingleShotConnection);
    }
    if (!shot) {
        if (parser.isSet(reevaluate))
            QObject::connect(&window, &rw::MainWindow::loaded, &window, [&window, scope] { window.reevaluate(scope); },
                             Qt::SingleShotConnection);
        return QApplication::exec();
    }

    if (!window.waitUntilIdle(120000)) {
        std::fprintf(stderr, "Error: loading did not finish in time\n");
        return 1;
    }
    if (parser.isSet(selectTrace) && !window.selectTrace(parser.value(selectTrace))) {
        std::fprintf(stderr, "Error: no trace '%s'\n", qPrintable(rw::visibleText(parser.value(selectTrace))));
        return 1;
    }
    if (parser.isSet(reevaluate)) {
        window.reevaluate(scope);
        window.waitUntilIdle(120000);
        if (parser.isSet(showBehind)) {
            const QString v = parser.value(showBehind);
            QTreeWidgetItem* item = window.reevaluationPanel()->findItem(v.section(QLatin1Char(':'), 0, 0), v.section(QLatin1Char(':'), 1));
            if (!item) {
                std::fprintf(stderr, "Error: no count '%s' in the re-evaluation\n", qPrintable(rw::visibleText(v)));
                return 1;
            }
            window.reevaluationPanel()->tree()->setCurrentItem(item);
            Q_EMIT window.reevaluationPanel()->tree()->itemClicked(item, 0);
            window.waitUntilIdle(10000);
        }
    }
    if (parser.isSet(compareWith) || parser.isSet(compareReevaluation)) {
        bool ok = false;
        if (parser.isSet(compareWith)) {
            window.markForComparison();
            ok = window.selectTrace(parser.value(compareWith)) && window.compareWithMarked();
        } else {
            ok = window.compareWithReevaluation();
        }
        if (!ok || !window.waitUntilIdle(60000)) {
            std::fprintf(stderr, "Error: the comparison could not be made\n");
            return 1;
        }
        if (parser.isSet(compareGraph))
            window.diffView()->tabs()->setCurrentIndex(1);
    }
    if (parser.isSet(verifyBundle)) {
        if (parser.isSet(openEvidence)) {
            if (!window.openVerifiedBundle()) {
                std::fprintf(stderr, "Error: the bundle did not verify; not opened\n");
                return 1;
            }
            window.waitUntilIdle(60000);
        } else if (QWidget* report = window.showVerification()) {
            window.waitUntilIdle(5000);
            QApplication::processEvents();
            return report->grab().save(parser.value(screenshot)) ? 0 : 1;
        }
    }
    if (parser.isSet(findings))
        window.diagnosticsDock()->show();
    if (parser.isSet(graph))
        window.traceTabs()->setCurrentIndex(1);
    if (parser.isSet(drawer)) {
        window.drawerDock()->show();
        const int wanted = parser.isSet(event) ? parser.value(event).toInt() - 1 : 1;
        QMetaObject::invokeMethod(&window, [&window, wanted] {
            auto* events = window.eventView();
            const int rows = events->model()->rowCount();
            if (rows > 0)
                events->setCurrentIndex(events->model()->index(std::clamp(wanted, 0, rows - 1), 0));
        });
    }
    window.waitUntilIdle(5000);
    QApplication::processEvents(); // let queued layout and paint settle before grabbing (not heavy work)
    const QPixmap pixmap = window.grab();
    if (!pixmap.save(parser.value(screenshot))) {
        std::fprintf(stderr, "Error: cannot write %s\n", qPrintable(rw::visibleText(parser.value(screenshot))));
        return 1;
    }
    return 0;
}
