#include "replay/alerts/alertspool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace rw::alerts {

namespace {

constexpr const char* kSuffix = ".alert";
constexpr qint64 kMaxEntryBytes = 4 << 20; // an entry is one record; anything larger is not ours

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

AlertSpool::AlertSpool(std::string folder) : m_folder(std::move(folder)) {}

AlertSpool::~AlertSpool() = default;

bool AlertSpool::open(std::string& error)
{
    QDir dir(q(m_folder));
    const bool existed = dir.exists(), rejectedExisted = dir.exists(QStringLiteral("rejected"));
    if (!dir.mkpath(QStringLiteral(".")) || !dir.mkpath(QStringLiteral("rejected"))) {
        error = "the folder (or its rejected/ folder) cannot be created";
        return false;
    }
    // what waits here may quote an agent's steps: the user's alone (a folder
    // that was there before keeps its mode: it may be more than the spool)
    if (!existed)
        ::chmod(m_folder.c_str(), 0700);
    if (!rejectedExisted)
        ::chmod((m_folder + "/rejected").c_str(), 0700);
    m_lock = std::make_unique<QLockFile>(dir.filePath(QStringLiteral(".lock")));
    m_lock->setStaleLockTime(0); // stale only when its process is gone
    m_owner = m_lock->tryLock(0);
    if (!m_owner && m_lock->error() == QLockFile::PermissionError) {
        error = "the folder cannot be written";
        return false;
    }
    return true;
}

std::optional<std::string> AlertSpool::put(const std::string& channel, const AlertRecord& record, std::string& error)
{
    // time, process and a counter: unique across watches, and in order when sorted
    char name[96];
    std::snprintf(name, sizeof name, "%013lld-%d-%06llu%s", static_cast<long long>(QDateTime::currentMSecsSinceEpoch()),
                  static_cast<int>(::getpid()), static_cast<unsigned long long>(++m_sequence), kSuffix);
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["spool_version"] = 1;
    j["channel"] = channel;
    j["record"] = recordJson(record);
    const std::string bytes = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    QSaveFile file(QDir(q(m_folder)).filePath(QString::fromLatin1(name)));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()) ||
        !file.commit()) {
        error = file.errorString().toStdString();
        return std::nullopt;
    }
    return std::string(name);
}

bool AlertSpool::remove(const std::string& name)
{
    return QFile::remove(QDir(q(m_folder)).filePath(q(name)));
}

bool AlertSpool::reject(const std::string& name)
{
    const QDir dir(q(m_folder));
    return QFile::rename(dir.filePath(q(name)), dir.filePath(QStringLiteral("rejected/") + q(name)));
}

std::vector<AlertSpool::Entry> AlertSpool::pending(std::vector<std::string>& unreadable) const
{
    std::vector<Entry> out;
    const QDir dir(q(m_folder));
    QStringList names = dir.entryList({QStringLiteral("*") + QLatin1String(kSuffix)}, QDir::Files | QDir::NoSymLinks, QDir::Name);
    for (const QString& name : names) {
        QFile f(dir.filePath(name));
        nlohmann::ordered_json j; // the record's members in the order written: the payload is sent as it was
        if (f.size() <= kMaxEntryBytes && f.open(QIODevice::ReadOnly))
            j = nlohmann::ordered_json::parse(f.readAll().toStdString(), nullptr, false);
        std::optional<AlertRecord> record;
        if (j.is_object() && j.value("spool_version", 0) == 1 && j.contains("channel") && j["channel"].is_string() &&
            j.contains("record"))
            record = recordFromJson(j["record"]);
        if (!record) {
            unreadable.push_back(name.toStdString());
            continue;
        }
        out.push_back({name.toStdString(), j["channel"].get<std::string>(), std::move(*record)});
    }
    return out;
}

} // namespace rw::alerts
