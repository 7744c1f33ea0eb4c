// replay-workbench: the desktop workbench. Opens the files given on the
// command line; `--screenshot OUT.png [--select-trace ID] [--drawer] FILE...`
// loads, renders the window at a fixed size, saves it and exits.
#include "filterbar.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
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
    parser.addOptions({screenshot, selectTrace, drawer, filter, findings, event, graph});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Audit files to open."), QStringLiteral("[FILE...]"));
    parser.process(app);

    const bool shot = parser.isSet(screenshot);
    rw::MainWindow window(rw::MainWindow::Options{!shot});
    if (shot)
        window.resize(1600, 1000);
    window.show();
    if (parser.isSet(filter))
        window.filterBar()->setText(parser.value(filter));
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    if (!shot)
        return QApplication::exec();

    if (!window.waitUntilIdle(120000)) {
        std::fprintf(stderr, "Error: loading did not finish in time\n");
        return 1;
    }
    if (parser.isSet(selectTrace) && !window.selectTrace(parser.value(selectTrace))) {
        std::fprintf(stderr, "Error: no trace '%s'\n", qPrintable(parser.value(selectTrace)));
        return 1;
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
        std::fprintf(stderr, "Error: cannot write %s\n", qPrintable(parser.value(screenshot)));
        return 1;
    }
    return 0;
}
