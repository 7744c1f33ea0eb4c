#pragma once

// HTTP delivery behind an interface, in a module of its own (rw-alert-http.so,
// httpmodule.cpp) that the delivery thread loads at the first HTTP attempt:
// the watch, and every other command of the CLI, runs without Qt Network
// unless an alerts file names a network channel. (Loading the network
// library also changes the order in which Qt's thread storage is torn down at
// exit, which is another reason to keep it out of processes that do not need it.)
#include "replay/alerts/alertoutcome.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rw::alerts {

struct HttpPost
{
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers; // besides Content-Type and User-Agent
    std::string body;                                         // JSON
    std::int64_t timeoutMs = 10000;
};

// Lives in the thread that made it; posts are answered through `done`, in that thread.
class HttpSender
{
public:
    virtual ~HttpSender() = default;
    virtual void post(const HttpPost& request, std::function<void(const Outcome&)> done) = 0;
    // ends every post under way (each reports Stopped)
    virtual void abortAll() = 0;
};

// The module's interface: its version, then a sender made in the calling thread.
inline constexpr int kAlertHttpAbi = 1;
inline constexpr const char* kAlertHttpModule = "rw-alert-http.so";
inline constexpr const char* kAlertHttpAbiSymbol = "rw_alert_http_abi";
inline constexpr const char* kAlertHttpCreateSymbol = "rw_alert_http_create";

// Loads the module (once a process, never unloaded) and makes a sender in the
// calling thread; nullptr and `error` when it cannot. The module is looked for
// at $RW_ALERT_HTTP if set, else next to the executable, else in the installed
// plugin folder (lib/replay-workbench/ beside bin/).
std::unique_ptr<HttpSender> loadHttpSender(std::string& error);

} // namespace rw::alerts
