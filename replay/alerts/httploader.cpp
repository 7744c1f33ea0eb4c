#include "replay/alerts/httpsender.h"

#include <QFileInfo>
#include <QLibrary>

#include <cstdlib>
#include <mutex>

namespace rw::alerts {

namespace {

using Abi = int (*)();
using Create = HttpSender* (*)();

struct Module
{
    Create create = nullptr;
    std::string error;
};

Module load()
{
    Module m;
    std::vector<QString> candidates;
    if (const char* env = std::getenv("RW_ALERT_HTTP"); env && *env) {
        candidates.push_back(QString::fromLocal8Bit(env)); // a test's or a packager's choice, and nothing else
    } else {
        const QString self = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath().section(QLatin1Char('/'), 0, -2);
        const QString name = QLatin1String(kAlertHttpModule);
        candidates.push_back(self + QLatin1Char('/') + name);
        candidates.push_back(QFileInfo(self + QStringLiteral("/" RW_ALERT_HTTP_RELDIR "/") + name).absoluteFilePath());
    }
    QString path;
    for (const QString& c : candidates)
        if (QFileInfo::exists(c)) {
            path = c;
            break;
        }
    if (path.isEmpty()) {
        m.error = "not found (looked at " + candidates.front().toStdString() + (candidates.size() > 1 ? " and in the plugin folder" : "") + ")";
        return m;
    }
    QLibrary library(path); // never unloaded: senders made by it may live until the process ends
    if (!library.load()) {
        m.error = library.errorString().toStdString();
        return m;
    }
    const auto abi = reinterpret_cast<Abi>(library.resolve(kAlertHttpAbiSymbol));
    const auto create = reinterpret_cast<Create>(library.resolve(kAlertHttpCreateSymbol));
    if (!abi || !create || abi() != kAlertHttpAbi) {
        m.error = path.toStdString() + " is not this version's HTTP module";
        return m;
    }
    m.create = create;
    return m;
}

} // namespace

std::unique_ptr<HttpSender> loadHttpSender(std::string& error)
{
    static std::once_flag once;
    static Module module;
    std::call_once(once, [] { module = load(); });
    if (!module.create) {
        error = module.error;
        return nullptr;
    }
    return std::unique_ptr<HttpSender>(module.create());
}

} // namespace rw::alerts
