#pragma once

#include <cstddef>

namespace rw {

// One pass over the bytes of a line, from `pos` up to the first '\n' (or
// `limit`): where the line ends, how many '{' and '[' it holds (an upper bound
// of its nesting depth) and whether it holds a NUL byte. The loader needs all
// three for every line; one vectorised pass touches each byte once instead of
// the three passes memchr + count + NUL search would take. AVX2 when the CPU
// has it, SSE2 otherwise (chosen once, at first use).
struct LineScan
{
    std::size_t end = 0; // index of the '\n', or limit
    std::size_t openers = 0;
    bool nul = false;
};

LineScan scanLine(const char* data, std::size_t pos, std::size_t limit);

// The plain byte loop, for tests and non-x86 builds.
LineScan scanLineScalar(const char* data, std::size_t pos, std::size_t limit);

} // namespace rw
