#include "model/followsource.h"

#include "model/globmatcher.h"

#include <QString>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace rw {

namespace fs = std::filesystem;

std::unique_ptr<FollowSource> FollowSource::open(const std::string& spec, const std::string& glob,
                                                 FileFollower::Options options, std::string& error)
{
    std::unique_ptr<FollowSource> s(new FollowSource);
    s->m_spec = spec;
    s->m_glob = glob;
    s->m_options = std::move(options);
    if (spec == "-") {
        s->m_kind = Kind::Stream;
        s->m_stream = std::make_unique<StreamFollower>(STDIN_FILENO, "-", s->m_options.maxLineBytes);
        return s;
    }
    struct stat st{};
    if (::stat(spec.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) {
        s->m_kind = Kind::Stream;
        s->m_stream = StreamFollower::openFifo(spec, error);
        return s->m_stream ? std::move(s) : nullptr;
    }
    if (::stat(spec.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        std::error_code ec;
        fs::directory_iterator probe(spec, ec);
        if (ec) {
            error = ec.message();
            return nullptr;
        }
        s->m_kind = Kind::Folder;
        return s;
    }
    s->m_kind = Kind::File; // it may appear later: followed by name
    s->m_file = std::make_unique<FileFollower>(spec, s->m_options);
    return s;
}

FollowSource::~FollowSource() = default;

std::string FollowSource::newestInFolder() const
{
    const GlobMatcher match(QString::fromStdString(m_glob).toLower().toStdString());
    std::string best;
    fs::file_time_type bestTime{};
    std::error_code ec;
    for (fs::directory_iterator it(m_spec, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc) || fileEc)
            continue;
        const std::string name = it->path().filename().string();
        if (!match.matches(QString::fromStdString(name).toLower().toStdString()))
            continue;
        // a rotated log compressed by logrotate is history, never appended to
        const auto endsWith = [&](std::string_view suffix) {
            return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (endsWith(".gz") || endsWith(".zst") || endsWith(".bz2") || endsWith(".xz") || endsWith(".zip"))
            continue;
        const fs::file_time_type t = it->last_write_time(fileEc);
        if (fileEc)
            continue;
        // the newest; of two written within the clock's grain, the first name (audit.jsonl before audit.jsonl.1)
        if (best.empty() || t > bestTime || (t == bestTime && it->path().string() < best)) {
            best = it->path().string();
            bestTime = t;
        }
    }
    return best;
}

void FollowSource::poll(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool rescan)
{
    if (m_stream) {
        m_stream->poll(onLine, onNote);
        return;
    }
    if (m_kind == Kind::Folder && (rescan || !m_file)) {
        const std::string newest = newestInFolder();
        if (!newest.empty() && (!m_file || m_file->path() != newest)) {
            if (m_file) {
                // the file followed so far is read to its end before the newer one, and where it stopped kept
                m_file->finish(onLine, onNote);
                // every file it read, the ones rotated away too: a renamed log still written to is
                // the newest of the folder for a while, and is read on from where it stopped
                for (const FileFollower::Place& stopped : m_file->closedPlaces())
                    if (stopped.inode)
                        m_readUpTo[{stopped.device, stopped.inode}] = {stopped.offset, stopped.line};
                for (FollowSegment& seg : m_file->segments())
                    m_done.push_back(std::move(seg));
                if (onNote)
                    onNote({FollowFinding::Switched, newest, 0, followClockMs(), "newer than " + m_file->path()});
            }
            FileFollower::Options options = m_options;
            options.backlog = !m_polled; // a file that appeared while following is all new
            // a file read before (under this name or another: a rotation) goes on where it stopped
            struct stat st{};
            if (::stat(newest.c_str(), &st) == 0)
                if (const auto seen = m_readUpTo.find({static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)});
                    seen != m_readUpTo.end()) {
                    options.startAt = seen->second.first;
                    options.startLine = seen->second.second;
                }
            m_file = std::make_unique<FileFollower>(newest, options);
        }
    }
    if (m_file)
        m_file->poll(onLine, onNote);
    m_polled = true;
}

void FollowSource::finish(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    if (m_stream)
        m_stream->finish(onLine, onNote);
    else if (m_file)
        m_file->finish(onLine, onNote);
}

std::string FollowSource::currentPath() const
{
    if (m_stream)
        return m_stream->path();
    return m_file ? m_file->path() : std::string();
}

std::vector<std::string> FollowSource::watchPaths() const
{
    if (m_stream)
        return {};
    if (m_kind == Kind::Folder) {
        std::vector<std::string> out{m_spec};
        if (m_file)
            out.push_back(m_file->path());
        return out;
    }
    // the file and its folder: Qt stops watching a file once it is renamed or
    // removed, the folder's change is what tells that the name came back
    const fs::path p(m_spec);
    const std::string folder = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    return {m_spec, folder};
}

std::vector<FollowSegment> FollowSource::segments() const
{
    std::vector<FollowSegment> out = m_done;
    if (m_stream) {
        for (FollowSegment& s : m_stream->segments())
            out.push_back(std::move(s));
    } else if (m_file) {
        for (FollowSegment& s : m_file->segments())
            out.push_back(std::move(s));
    }
    return out;
}

} // namespace rw
