// InlineString's copies from text: a few word moves instead of the C
// library's memcpy, whose call and size dispatch cost more than the copy
// of an id of 31 bytes or fewer.
#include "hotline/util/inline_string.hpp"

#include <cstdint>
#include <utility>

namespace hotline {

namespace {

// Copies the first and the last sizeof(Word) bytes of `n` (the two overlap
// when n is less than twice the word): all of them when sizeof(Word) <= n <=
// 2 * sizeof(Word). Both loads come before either store, so `from` may lie
// inside `to`'s bytes.
template <typename Word>
void copy_ends(char* to, const char* from, std::size_t n) noexcept {
  Word head;
  Word tail;
  std::memcpy(&head, from, sizeof(Word));
  std::memcpy(&tail, from + n - sizeof(Word), sizeof(Word));
  std::memcpy(to, &head, sizeof(Word));
  std::memcpy(to + n - sizeof(Word), &tail, sizeof(Word));
}

struct Bytes16 {
  char b[16];
};

// n <= InlineString::kInline bytes, with no call.
void copy_short(char* to, const char* from, std::size_t n) noexcept {
  if (n >= 16) {
    copy_ends<Bytes16>(to, from, n);
  } else if (n >= 8) {
    copy_ends<std::uint64_t>(to, from, n);
  } else if (n >= 4) {
    copy_ends<std::uint32_t>(to, from, n);
  } else if (n > 0) {
    // Up to three bytes: the first, the middle and the last are all of them.
    const char first = from[0];
    const char middle = from[n / 2];
    const char last = from[n - 1];
    to[0] = first;
    to[n / 2] = middle;
    to[n - 1] = last;
  }
}

}  // namespace

void InlineString::init(std::string_view text) {
  if (text.size() <= kInline) {
    copy_short(bytes_, text.data(), text.size());
    set_inline_size(text.size());
    return;
  }
  char* p = new char[text.size() + 1];
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  const std::size_t n = text.size();
  std::memcpy(bytes_, &p, sizeof p);
  std::memcpy(bytes_ + sizeof p, &n, sizeof n);
  bytes_[kInline] = kOnHeap;
}

InlineString& InlineString::assign(std::string_view text) {
  if (text.size() <= kInline) {
    // `text` may be a part of this string's own bytes: copy_short reads all
    // of its source before it writes, and a heap block is let go after.
    char* old_heap = on_heap() ? heap_pointer() : nullptr;
    copy_short(bytes_, text.data(), text.size());
    set_inline_size(text.size());
    delete[] old_heap;
    return *this;
  }
  InlineString copy(text);  // allocated before the old text is let go
  *this = std::move(copy);
  return *this;
}

}  // namespace hotline
