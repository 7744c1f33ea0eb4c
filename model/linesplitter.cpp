#include "model/linesplitter.h"

#include <cstring>

namespace rw {

namespace {

std::string_view withoutCr(std::string_view text)
{
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    return text;
}

} // namespace

void LineSplitter::feed(std::string_view bytes, std::uint64_t offset, const LineFn& onLine, const TooLongFn& onTooLong)
{
    std::size_t at = 0;
    while (at < bytes.size()) {
        const void* nl = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
        const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
        const std::string_view piece = bytes.substr(at, end - at);
        if (m_skipping) {
            if (nl)
                m_skipping = false; // the long line ends here: the next one is read
        } else if (m_tail.size() + piece.size() > m_max) {
            ++m_line;
            onTooLong(m_tail.empty() ? offset + at : m_tailOffset, m_line);
            m_tail.clear();
            m_skipping = nl == nullptr;
        } else if (!nl) {
            if (m_tail.empty())
                m_tailOffset = offset + at;
            m_tail.append(piece);
        } else if (m_tail.empty()) {
            onLine(withoutCr(piece), offset + at, ++m_line);
        } else {
            m_tail.append(piece);
            onLine(withoutCr(m_tail), m_tailOffset, ++m_line);
            m_tail.clear();
        }
        at = nl ? end + 1 : bytes.size();
    }
}

bool LineSplitter::flush(const LineFn& onLine)
{
    m_skipping = false;
    if (m_tail.empty())
        return false;
    onLine(withoutCr(m_tail), m_tailOffset, ++m_line);
    m_tail.clear();
    return true;
}

void LineSplitter::reset()
{
    m_tail.clear();
    m_tailOffset = 0;
    m_line = 0;
    m_skipping = false;
}

} // namespace rw
