#pragma once

// How one attempt to deliver an alert ended: taken, worth retrying, or
// refused for good. Shared by the delivery thread and the HTTP module.
#include <cstdint>

namespace rw::alerts {

enum class Failure : std::uint8_t {
    None,
    Refused,       // the connection was refused
    Timeout,       // no complete answer within the timeout (or the program ran too long)
    Unreachable,   // host not found, network down, TLS failed
    HttpStatus,    // answered with an error status (`httpStatus`)
    Redirect,      // answered with a redirect: not followed
    ProgramFailed, // the command exited with `exitCode`, or crashed
    NotStarted,    // the command could not be started
    FileError,     // the file could not be opened or written (`systemError`)
    Stopped,       // the watch ended before the answer came
    NoHttp,        // the HTTP module (rw-alert-http.so) is missing or could not be loaded
};
const char* failureName(Failure f); // refused, timeout, ...

struct Outcome
{
    Failure failure = Failure::None;
    int httpStatus = 0;
    int exitCode = 0;
    int systemError = 0;
    bool permanent = false;        // the payload is refused (400, 413, 422, a redirect): moved to rejected/
    bool waitForFix = false;       // the receiver's setup refuses it (401, 403, 404, 410): kept, not retried now
    std::int64_t retryAfterMs = 0; // the receiver's Retry-After, when it gave one

    bool ok() const { return failure == Failure::None; }
};

} // namespace rw::alerts
