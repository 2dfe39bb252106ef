// Search tokens: any bytes tokenized by search_tokens() (the ASCII and CJK
// fast paths where they apply) must give exactly the tokens of ICU's general
// path, and every token must lie within the text, in order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "store/search_words.hpp"

using hotline::store::SearchToken;

namespace {

[[noreturn]] void fail(const char* what, std::size_t token) {
  std::fprintf(stderr, "search_tokens: %s at token %zu\n", what, token);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto listed = hotline::store::search_tokens(text);
  auto icu = hotline::store::detail::search_tokens_by_icu(text);
  if (!listed.ok() || !icu.ok()) fail("an error", 0);
  if (listed->size() != icu->size()) fail("a different number of tokens", 0);
  std::size_t before = 0;
  for (std::size_t k = 0; k < listed->size(); ++k) {
    const SearchToken& a = (*listed)[k];
    const SearchToken& b = (*icu)[k];
    if (a.word != b.word || a.begin != b.begin || a.end != b.end ||
        a.joins_previous != b.joins_previous || a.run_end != b.run_end ||
        a.lone_char != b.lone_char) {
      fail("a token unlike ICU's", k);
    }
    if (a.word.empty() || a.begin >= a.end || a.end > size || a.begin < before) {
      fail("a token out of place", k);
    }
    before = a.begin;
  }
  return 0;
}
