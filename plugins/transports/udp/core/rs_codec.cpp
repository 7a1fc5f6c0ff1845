#include "rs_codec.hpp"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <set>

namespace rdk::udp {

namespace {
/// Rows k..k+m-1 of the Cauchy matrix ISA-L's gf_gen_cauchy1_matrix builds: 1 / ((k + i) ^ j).
/// Computed for k + first + count rows (the rows do not depend on the total m).
std::vector<uint8_t> cauchy(size_t k, size_t rows) {
  std::vector<uint8_t> a(rows * k);
  gf_gen_cauchy1_matrix(a.data(), static_cast<int>(rows), static_cast<int>(k));
  return a;
}
}  // namespace

std::vector<std::vector<uint8_t>> rsEncode(const std::vector<const uint8_t*>& data, size_t length,
                                           size_t first, size_t count) {
  const size_t k = data.size();
  std::vector<std::vector<uint8_t>> out(count, std::vector<uint8_t>(length));
  if (k == 0 || count == 0 || length == 0)
    return out;
  const auto a = cauchy(k, k + first + count);
  std::vector<uint8_t> tables(32 * k * count);
  ec_init_tables(static_cast<int>(k), static_cast<int>(count),
                 const_cast<uint8_t*>(a.data() + (k + first) * k), tables.data());
  std::vector<uint8_t*> src(data.size()), dst(count);
  for (size_t i = 0; i < k; ++i)
    src[i] = const_cast<uint8_t*>(data[i]);  // ISA-L's API is not const-correct; it only reads
  for (size_t i = 0; i < count; ++i)
    dst[i] = out[i].data();
  ec_encode_data(static_cast<int>(length), static_cast<int>(k), static_cast<int>(count),
                 tables.data(), src.data(), dst.data());
  return out;
}

std::vector<std::vector<uint8_t>> rsDecode(size_t k, const std::vector<RsShard>& have,
                                           const std::vector<size_t>& missing, size_t length) {
  if (k == 0 || have.size() != k || missing.empty() || length == 0)
    return {};
  size_t rows = k;
  std::set<size_t> seen;
  for (const auto& s : have) {
    if (!seen.insert(s.index).second || s.index >= k + kMaxRsParity)
      return {};
    rows = std::max(rows, s.index + 1);
  }
  for (size_t m : missing)
    if (m >= k || seen.count(m))
      return {};
  const auto a = cauchy(k, rows);
  // The k x k matrix of the shards we have; its inverse maps them back to the data shards.
  std::vector<uint8_t> b(k * k), inv(k * k);
  for (size_t r = 0; r < k; ++r)
    std::copy_n(a.data() + have[r].index * k, k, b.data() + r * k);
  if (gf_invert_matrix(b.data(), inv.data(), static_cast<int>(k)) != 0)
    return {};
  std::vector<uint8_t> decode(missing.size() * k);
  for (size_t i = 0; i < missing.size(); ++i)
    std::copy_n(inv.data() + missing[i] * k, k, decode.data() + i * k);
  std::vector<uint8_t> tables(32 * k * missing.size());
  ec_init_tables(static_cast<int>(k), static_cast<int>(missing.size()), decode.data(),
                 tables.data());
  std::vector<std::vector<uint8_t>> out(missing.size(), std::vector<uint8_t>(length));
  std::vector<uint8_t*> src(k), dst(missing.size());
  for (size_t i = 0; i < k; ++i)
    src[i] = const_cast<uint8_t*>(have[i].bytes);
  for (size_t i = 0; i < missing.size(); ++i)
    dst[i] = out[i].data();
  ec_encode_data(static_cast<int>(length), static_cast<int>(k), static_cast<int>(missing.size()),
                 tables.data(), src.data(), dst.data());
  return out;
}

}  // namespace rdk::udp
