#include "model/linescan.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace rw {

LineScan scanLineScalar(const char* p, std::size_t i, std::size_t limit)
{
    LineScan r;
    for (; i < limit; ++i) {
        const char c = p[i];
        if (c == '\n')
            break;
        r.openers += (c == '{') | (c == '[');
        r.nul |= c == '\0';
    }
    r.end = i;
    return r;
}

#if defined(__x86_64__)

namespace {

// bits of the lanes before the first set bit of `mask`
inline unsigned beforeFirst(unsigned mask) { return (mask & (0u - mask)) - 1u; }

LineScan finish(const char* p, std::size_t i, std::size_t limit, LineScan r)
{
    const LineScan tail = scanLineScalar(p, i, limit);
    r.end = tail.end;
    r.openers += tail.openers;
    r.nul = r.nul || tail.nul;
    return r;
}

LineScan scanSse2(const char* p, std::size_t i, std::size_t limit)
{
    const __m128i nl = _mm_set1_epi8('\n'), brace = _mm_set1_epi8('{'), bracket = _mm_set1_epi8('[');
    const __m128i zero = _mm_setzero_si128();
    LineScan r;
    unsigned nul = 0;
    for (; i + 16 <= limit; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const auto mNl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
        const auto mOpen = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, brace), _mm_cmpeq_epi8(v, bracket))));
        const auto mNul = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)));
        if (mNl) {
            const unsigned keep = beforeFirst(mNl);
            r.openers += static_cast<std::size_t>(__builtin_popcount(mOpen & keep));
            r.nul = (nul | (mNul & keep)) != 0;
            r.end = i + static_cast<std::size_t>(__builtin_ctz(mNl));
            return r;
        }
        r.openers += static_cast<std::size_t>(__builtin_popcount(mOpen));
        nul |= mNul;
    }
    r.nul = nul != 0;
    return finish(p, i, limit, r);
}

__attribute__((target("avx2,popcnt,bmi"))) LineScan scanAvx2(const char* p, std::size_t i, std::size_t limit)
{
    const __m256i nl = _mm256_set1_epi8('\n'), brace = _mm256_set1_epi8('{'), bracket = _mm256_set1_epi8('[');
    const __m256i zero = _mm256_setzero_si256();
    LineScan r;
    unsigned nul = 0;
    for (; i + 32 <= limit; i += 32) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        const auto mNl = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl)));
        const auto mOpen = static_cast<unsigned>(
            _mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, brace), _mm256_cmpeq_epi8(v, bracket))));
        const auto mNul = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)));
        if (mNl) {
            const unsigned keep = beforeFirst(mNl);
            r.openers += static_cast<std::size_t>(__builtin_popcount(mOpen & keep));
            r.nul = (nul | (mNul & keep)) != 0;
            r.end = i + static_cast<std::size_t>(__builtin_ctz(mNl));
            return r;
        }
        r.openers += static_cast<std::size_t>(__builtin_popcount(mOpen));
        nul |= mNul;
    }
    r.nul = nul != 0;
    return finish(p, i, limit, r);
}

using ScanFn = LineScan (*)(const char*, std::size_t, std::size_t);

ScanFn pickScan()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? scanAvx2 : scanSse2;
}

} // namespace

LineScan scanLine(const char* data, std::size_t pos, std::size_t limit)
{
    static const ScanFn scan = pickScan();
    return scan(data, pos, limit);
}

#else

LineScan scanLine(const char* data, std::size_t pos, std::size_t limit)
{
    return scanLineScalar(data, pos, limit);
}

#endif

} // namespace rw
