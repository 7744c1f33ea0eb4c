#pragma once

#include <string>

class QIODevice;

namespace rw {

// Whether every byte of a ZIP is accounted for. minizip finds the end record
// by searching backwards and forgives data in front of the archive (it
// computes an offset for it), so an archive can carry bytes nobody verifies:
// a script prepended, a second archive appended, a comment. An evidence
// bundle must be exactly its members: the first local header at offset 0,
// each member (header, name, extra field, data, data descriptor) followed
// directly by the next, then the central directory, then the (ZIP64) end
// records at the very end, with no archive comment.
// Returns what is wrong, or empty. Reads only headers, never member data.
std::string zipFramingProblem(QIODevice* device);

} // namespace rw
