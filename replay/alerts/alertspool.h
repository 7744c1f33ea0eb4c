#pragma once

// The on-disk spool: every alert is written here, one file per alert and
// channel, before its first attempt, and removed only once the channel took
// it. What a down receiver did not take is still here at the next start and
// sent then: an alert is never lost to a receiver that was away. A receiver
// that refuses an alert for good (HTTP 400, a redirect) gets it moved to
// rejected/, kept for a person to look at, never sent again by itself.
//
// The folder is the user's own (0700). Two watches may share it: the one
// holding its lock replays what is there at start; the other adds and
// removes only its own files.
#include "replay/alerts/alertrecord.h"

#include <QLockFile>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rw::alerts {

class AlertSpool
{
public:
    explicit AlertSpool(std::string folder);
    ~AlertSpool();
    AlertSpool(const AlertSpool&) = delete;
    AlertSpool& operator=(const AlertSpool&) = delete;

    // creates the folder (0700) and takes its lock if it can; false and
    // `error` (errno's text) when the folder cannot be made or written
    bool open(std::string& error);
    bool owner() const { return m_owner; }
    const std::string& folder() const { return m_folder; }

    struct Entry
    {
        std::string name; // the file's name in the folder
        std::string channel;
        AlertRecord record;
    };
    // writes one alert for one channel (atomically); its name, or nullopt and `error`
    std::optional<std::string> put(const std::string& channel, const AlertRecord& record, std::string& error);
    bool remove(const std::string& name);
    bool reject(const std::string& name); // to rejected/
    // what waits, oldest first; files that are not spool entries are named in `unreadable` and left alone
    std::vector<Entry> pending(std::vector<std::string>& unreadable) const;

private:
    std::string m_folder;
    std::unique_ptr<QLockFile> m_lock;
    bool m_owner = false;
    std::uint64_t m_sequence = 0;
};

} // namespace rw::alerts
