#pragma once
/// @file sha256.h
/// SHA-256 (FIPS 180-4), used for content hashes: document deduplication, import-log file
/// hashes and the identity of imported label revisions.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace concord::model {

class Sha256
{
public:
    Sha256();
    void update(std::string_view data);
    std::array<std::uint8_t, 32> digest();
    std::string hexDigest();

    /// Lower-case hex digest of `data`.
    static std::string hex(std::string_view data);

private:
    void compress(const std::uint8_t *blocks, std::size_t count);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

} // namespace concord::model
