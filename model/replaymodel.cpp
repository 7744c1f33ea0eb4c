#include "model/replaymodel.h"

#include <chrono>

namespace rw {

ReplayModel::~ReplayModel()
{
    // the hashing thread reads the mapping: let it finish before unmapping
    if (m_sha256.valid())
        m_sha256.wait();
}

std::optional<std::size_t> ReplayModel::findTrace(std::string_view traceId) const
{
    const StrId id = m_pool.find(traceId);
    if (id == kNoStr)
        return std::nullopt;
    // traces are few compared with events; a linear scan over ids is cheap
    for (std::size_t i = 0; i < m_traces.size(); ++i)
        if (m_traces[i].id == id)
            return i;
    return std::nullopt;
}

bool ReplayModel::sha256Ready() const
{
    return m_sha256.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

double ReplayModel::sha256Seconds() const
{
    m_sha256.wait();
    return *m_sha256Seconds;
}

} // namespace rw
