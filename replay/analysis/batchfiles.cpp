#include "replay/analysis/batchfiles.h"

#include "model/globmatcher.h"
#include "model/querylexer.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

#include <sys/stat.h>

namespace rw::analysis {

namespace fs = std::filesystem;

namespace {

class Walker
{
public:
    Walker(const std::string& glob, BatchFiles& out) : m_glob(querylex::lowered(glob)), m_out(out) {}

    void root(const std::string& path)
    {
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0) {
            const bool link = ::lstat(path.c_str(), &st) == 0;
            m_out.problems.push_back({link ? BatchProblem::Code::Dangling : BatchProblem::Code::Unreadable, path,
                                      std::strerror(errno)});
            return;
        }
        if (S_ISREG(st.st_mode)) {
            file(path, st);
            return;
        }
        if (!S_ISDIR(st.st_mode)) {
            m_out.problems.push_back({BatchProblem::Code::NotAFolder, path, {}});
            return;
        }
        folder(path, st, 0);
    }

private:
    void file(const std::string& path, const struct stat& st)
    {
        // the same file through two links or two roots is analysed once
        if (m_seenFiles.emplace(st.st_dev, st.st_ino).second) {
            m_out.files.push_back(path);
            m_out.sizes.push_back(static_cast<std::uint64_t>(st.st_size));
        }
    }

    void folder(const std::string& path, const struct stat& st, int depth)
    {
        // a folder seen before on this walk is a symlink loop (or a second way in)
        if (!m_seenFolders.emplace(st.st_dev, st.st_ino).second) {
            m_out.problems.push_back({BatchProblem::Code::SymlinkLoop, path, {}});
            return;
        }
        if (depth > 64) {
            m_out.problems.push_back({BatchProblem::Code::SymlinkLoop, path, "deeper than 64 folders"});
            return;
        }
        std::error_code ec;
        fs::directory_iterator it(path, ec);
        if (ec) {
            m_out.problems.push_back({BatchProblem::Code::Unreadable, path, ec.message()});
            return;
        }
        std::vector<std::string> entries;
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            if (ec) {
                m_out.problems.push_back({BatchProblem::Code::Unreadable, path, ec.message()});
                break;
            }
            entries.push_back(it->path().string());
        }
        std::sort(entries.begin(), entries.end());
        for (const std::string& entry : entries) {
            struct stat est{};
            if (::stat(entry.c_str(), &est) != 0) {
                const bool link = ::lstat(entry.c_str(), &est) == 0 && S_ISLNK(est.st_mode);
                m_out.problems.push_back({link ? BatchProblem::Code::Dangling : BatchProblem::Code::Unreadable,
                                          entry, std::strerror(errno)});
                continue;
            }
            if (S_ISDIR(est.st_mode))
                folder(entry, est, depth + 1);
            else if (S_ISREG(est.st_mode) && m_glob.matches(fs::path(entry).filename().string()))
                file(entry, est);
        }
    }

    GlobMatcher m_glob;
    BatchFiles& m_out;
    std::set<std::pair<dev_t, ino_t>> m_seenFolders;
    std::set<std::pair<dev_t, ino_t>> m_seenFiles;
};

} // namespace

BatchFiles collectBatchFiles(const std::vector<std::string>& roots, const std::string& glob)
{
    BatchFiles out;
    Walker walker(glob.empty() ? std::string("*") : glob, out);
    for (const std::string& r : roots)
        walker.root(r);
    return out;
}

} // namespace rw::analysis
