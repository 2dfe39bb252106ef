// Text kept inside the object when short: the ids every command and
// notification carries (a call's, an agent's, a queue's). std::string keeps
// up to 15 bytes in itself and copies even those through a call into the
// C++ library (about fifty instructions an id, and ids are copied dozens of
// times for each call the engine handles). InlineString keeps up to 31
// bytes in its 32, so copying one InlineString to another is a fixed
// 32-byte copy the compiler does inline, and text given as a view or a
// std::string is copied by one short call that moves a few words; longer
// text lives on the heap as std::string's would. It reads as a
// std::string_view (and compares with any text); a std::string is built
// from it where one is needed: std::string(id).
#pragma once

#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

namespace hotline {

class InlineString {
 public:
  static constexpr std::size_t kInline = 31;

  InlineString() noexcept { make_empty(); }
  InlineString(std::string_view text) { init(text); }  // NOLINT: ids are given as text
  InlineString(const char* text) : InlineString(std::string_view(text)) {}  // NOLINT
  InlineString(const std::string& text) : InlineString(std::string_view(text)) {}  // NOLINT
  InlineString(const InlineString& other) {
    if (other.on_heap()) {
      init(other.view());
    } else {
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    }
  }
  InlineString(InlineString&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.make_empty();
  }
  ~InlineString() { release(); }

  InlineString& operator=(const InlineString& other) {
    if (this == &other) return *this;
    if (!on_heap() && !other.on_heap()) {
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      return *this;
    }
    return assign(other.view());
  }
  InlineString& operator=(InlineString&& other) noexcept {
    if (this == &other) return *this;
    release();
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.make_empty();
    return *this;
  }
  InlineString& operator=(std::string_view text) { return assign(text); }
  InlineString& operator=(const std::string& text) { return assign(text); }
  InlineString& operator=(const char* text) { return assign(text); }

  // Replaces the text; `text` may point into this string's own.
  InlineString& assign(std::string_view text);

  std::string_view view() const noexcept { return {data(), size()}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT

  const char* data() const noexcept { return on_heap() ? heap_pointer() : bytes_; }
  const char* c_str() const noexcept { return data(); }  // always NUL-terminated
  std::size_t size() const noexcept {
    return on_heap() ? heap_size() : kInline - static_cast<unsigned char>(bytes_[kInline]);
  }
  std::size_t length() const noexcept { return size(); }
  bool empty() const noexcept { return size() == 0; }
  void clear() noexcept {
    release();
    make_empty();
  }
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size(); }
  char operator[](std::size_t i) const noexcept { return data()[i]; }

  // Comparisons with any text (another InlineString, a std::string, a view,
  // a literal), either way round.
  template <typename T>
  using IfText = std::enable_if_t<std::is_convertible_v<const T&, std::string_view>>;
  template <typename T>
  using IfOtherText = std::enable_if_t<!std::is_same_v<T, InlineString> &&
                                       std::is_convertible_v<const T&, std::string_view>>;
  template <typename T, typename = IfText<T>>
  friend bool operator==(const InlineString& a, const T& b) noexcept {
    return a.view() == std::string_view(b);
  }
  template <typename T, typename = IfOtherText<T>>
  friend bool operator==(const T& a, const InlineString& b) noexcept {
    return std::string_view(a) == b.view();
  }
  template <typename T, typename = IfText<T>>
  friend bool operator!=(const InlineString& a, const T& b) noexcept {
    return !(a == b);
  }
  template <typename T, typename = IfOtherText<T>>
  friend bool operator!=(const T& a, const InlineString& b) noexcept {
    return !(b == a);
  }
  friend bool operator<(const InlineString& a, const InlineString& b) noexcept {
    return a.view() < b.view();
  }
  // Joined with other text, as std::string's operator+ would.
  friend std::string operator+(std::string a, const InlineString& b) { return a.append(b.view()); }
  friend std::string operator+(const char* a, const InlineString& b) {
    return std::string(a).append(b.view());
  }
  friend std::string operator+(const InlineString& a, std::string_view b) {
    return std::string(a.view()).append(b);
  }
  friend std::ostream& operator<<(std::ostream& out, const InlineString& s) {
    return out << s.view();
  }

 private:
  // The last byte says where the text is: kInline - size when it is inside
  // (so a 31-byte text's last byte is 0, its terminating NUL), kOnHeap when
  // the first bytes hold a pointer to a NUL-terminated copy and its size.
  static constexpr char kOnHeap = static_cast<char>(0xFF);

  bool on_heap() const noexcept { return bytes_[kInline] == kOnHeap; }
  char* heap_pointer() const noexcept {
    char* p = nullptr;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  std::size_t heap_size() const noexcept {
    std::size_t n = 0;
    std::memcpy(&n, bytes_ + sizeof(char*), sizeof n);
    return n;
  }
  void set_inline_size(std::size_t n) noexcept {
    bytes_[n] = '\0';
    bytes_[kInline] = static_cast<char>(kInline - n);
  }
  void make_empty() noexcept { set_inline_size(0); }
  // Out of line, as std::string's are, but without its general cases: one
  // call that copies a short text in a few word moves. Inline, the copies
  // at every place an id is given as text grew the code the processor
  // fetches more than they saved.
  void init(std::string_view text);
  void release() noexcept {
    if (on_heap()) delete[] heap_pointer();
  }

  alignas(8) char bytes_[kInline + 1];
};

}  // namespace hotline
