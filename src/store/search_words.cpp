#include "store/search_words.hpp"

#include "hotline/util/utf8.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

namespace hotline::store {
namespace {

// ICU's transliterators take a while to build from their rules and a break
// iterator keeps the text it walks: the rules are built once per process and
// each thread works on its own clones.
struct IcuTools {
  std::unique_ptr<icu::BreakIterator> words;
  std::unique_ptr<icu::Transliterator> to_simplified;
  std::unique_ptr<icu::Transliterator> to_pinyin;
  const icu::Normalizer2* nfkc = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  std::string failure;  // why the tools are missing, if they are
  // Characters of paired scripts already folded, per thread.
  std::unordered_map<std::u16string, std::string> folded_chars;
};

constexpr std::size_t kMaxFoldedChars = 1 << 16;

IcuTools build_tools() {
  IcuTools t;
  UErrorCode status = U_ZERO_ERROR;
  t.nfkc = icu::Normalizer2::getNFKCInstance(status);
  t.nfd = icu::Normalizer2::getNFDInstance(status);
  t.nfc = icu::Normalizer2::getNFCInstance(status);
  t.words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    t.failure = fmt::format("ICU's word breaks are missing: {}", u_errorName(status));
    return t;
  }
  t.to_simplified.reset(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8("Traditional-Simplified"), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    t.failure = fmt::format("ICU's Traditional-Simplified transform is missing: {}",
                            u_errorName(status));
    return t;
  }
  t.to_pinyin.reset(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8("Han-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    t.failure = fmt::format("ICU's Han-Latin transform is missing: {}", u_errorName(status));
  }
  return t;
}

const IcuTools& shared_tools() {
  static const IcuTools tools = build_tools();
  return tools;
}

// This thread's clones of the shared tools.
class ThreadTools {
 public:
  ThreadTools() {
    const IcuTools& shared = shared_tools();
    tools_.failure = shared.failure;
    if (!tools_.failure.empty()) return;
    tools_.nfkc = shared.nfkc;
    tools_.nfd = shared.nfd;
    tools_.nfc = shared.nfc;
    tools_.words.reset(shared.words->clone());
    tools_.to_simplified.reset(shared.to_simplified->clone());
    tools_.to_pinyin.reset(shared.to_pinyin->clone());
    if (!tools_.words || !tools_.to_simplified || !tools_.to_pinyin) {
      tools_.failure = "out of memory copying ICU's search tools";
    }
  }
  const IcuTools* get() const { return tools_.failure.empty() ? &tools_ : nullptr; }
  const std::string& failure() const { return tools_.failure; }
  IcuTools& mutable_tools() { return tools_; }

 private:
  IcuTools tools_;
};

Result<IcuTools*> thread_tools() {
  thread_local ThreadTools tools;
  if (!tools.get()) return make_error(Errc::kInternal, tools.failure());
  return &tools.mutable_tools();
}

bool is_word_char(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

// Scripts written without spaces between words, split into character pairs.
bool is_paired_script(UChar32 c) {
  if (!is_word_char(c)) return false;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
      script == USCRIPT_HANGUL) {
    return true;
  }
  // Marks and signs shared by the scripts above (ー, 々, the kana voicing marks).
  return (script == USCRIPT_COMMON || script == USCRIPT_INHERITED) &&
         (uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
          uscript_hasScript(c, USCRIPT_KATAKANA));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// The text as UTF-16 with, for every UTF-16 unit, the byte it starts at in
// the original (and one more entry for the end). Bytes that are not UTF-8
// become U+FFFD, which separates words.
struct Utf16Text {
  icu::UnicodeString text;
  std::vector<std::size_t> byte_at;
};

// Into `out`, whose buffers are reused: written unit by unit into the
// string's own buffer rather than appended one code point at a time. A
// sequence of UTF-8 never gives more UTF-16 units than it has bytes.
bool decode(std::string_view utf8, Utf16Text& out) {
  out.byte_at.clear();
  out.byte_at.reserve(utf8.size() + 1);
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  char16_t* units = out.text.getBuffer(length + 1);
  if (!units) return false;
  int32_t written = 0;
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;
    U16_APPEND_UNSAFE(units, written, c);
    const int count = U16_LENGTH(c);
    for (int k = 0; k < count; ++k) out.byte_at.push_back(static_cast<std::size_t>(start));
  }
  out.text.releaseBuffer(written);
  out.byte_at.push_back(utf8.size());
  return true;
}

// The code point at a UTF-16 index (the whole pair when the index is inside
// one), as UnicodeString::char32At gives it, without a call into ICU per
// character.
UChar32 code_point_at(const icu::UnicodeString& s, int32_t i) {
  const char16_t* units = s.getBuffer();
  UChar32 c = 0;
  U16_GET(units, 0, i, s.length(), c);
  return c;
}

// NFKC, lower case, and the accents of Latin letters removed: what unicode61
// with remove_diacritics 2 did, plus the full-width and half-width forms.
// Lower case rather than full case folding keeps ß apart from ss, as before.
icu::UnicodeString fold(const IcuTools& t, const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s = t.nfkc->normalize(word, status);
  if (U_FAILURE(status)) return word;
  s.toLower(icu::Locale::getRoot());
  bool has_mark = false;
  icu::UnicodeString decomposed = t.nfd->normalize(s, status);
  if (U_FAILURE(status)) return s;
  icu::UnicodeString kept;
  UScriptCode base_script = USCRIPT_COMMON;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (base_script == USCRIPT_LATIN) {
        has_mark = true;
        continue;
      }
    } else {
      UErrorCode script_status = U_ZERO_ERROR;
      base_script = uscript_getScript(c, &script_status);
    }
    kept.append(c);
  }
  if (!has_mark) return s;
  icu::UnicodeString composed = t.nfc->normalize(kept, status);
  return U_FAILURE(status) ? s : composed;
}

// One character of a paired script (with the marks that follow it) folded:
// NFKC, lower case, Traditional to Simplified.
std::string fold_paired_char(IcuTools& t, const icu::UnicodeString& unit) {
  icu::UnicodeString folded = fold(t, unit);
  t.to_simplified->transliterate(folded);
  return to_utf8(folded);
}

// ASCII needs none of ICU (search_words.hpp, for_each_ascii_token).
void ascii_tokens(std::string_view text, std::vector<SearchToken>& out) {
  std::string scratch;
  for_each_ascii_token(text, scratch, [&](std::string_view word, std::size_t begin,
                                          std::size_t end) {
    SearchToken& token = out.emplace_back();
    token.word.assign(word);
    token.begin = begin;
    token.end = end;
    return 0;
  });
}

class Tokenizer {
 public:
  Tokenizer(IcuTools& tools, const Utf16Text& text, std::vector<SearchToken>& out)
      : t_(tools), text_(text), out_(out) {}

  void run() {
    const icu::UnicodeString& s = text_.text;
    int32_t i = 0;
    while (i < s.length()) {
      const int32_t start = i;
      const bool paired = is_paired_script(code_point_at(s, i));
      while (i < s.length()) {
        const UChar32 c = code_point_at(s, i);
        if (is_paired_script(c) != paired) break;
        i += U16_LENGTH(c);
      }
      if (paired) {
        pairs(start, i);
      } else {
        words(start, i);
      }
    }
  }

 private:

  void emit(std::string word, int32_t begin, int32_t end, bool joins, bool run_end = false,
            bool lone_char = false) {
    if (word.empty()) return;
    SearchToken token;
    token.word = std::move(word);
    token.begin = text_.byte_at[static_cast<std::size_t>(begin)];
    token.end = text_.byte_at[static_cast<std::size_t>(end)];
    token.joins_previous = joins;
    token.run_end = run_end;
    token.lone_char = lone_char;
    out_.push_back(std::move(token));
  }

  // One character of a run folded (NFKC, lower case, Traditional to
  // Simplified), remembered: these scripts have a few thousand characters in
  // use, and the transform is costly.
  const std::string& folded_char(const icu::UnicodeString& unit) {
    std::u16string key(unit.getBuffer(), static_cast<std::size_t>(unit.length()));
    auto it = t_.folded_chars.find(key);
    if (it != t_.folded_chars.end()) return it->second;
    std::string folded = fold_paired_char(t_, unit);
    if (t_.folded_chars.size() >= kMaxFoldedChars) t_.folded_chars.clear();
    return t_.folded_chars.emplace(std::move(key), std::move(folded)).first->second;
  }

  // A run of Han, kana or Hangul: folded character by character (so that each
  // keeps its place in the original), then paired. A character is one code
  // point with the marks that follow it (half-width kana voicing marks, which
  // NFKC composes with the kana before them).
  void pairs(int32_t begin, int32_t end) {
    struct Char {
      std::string folded;
      int32_t begin;
      int32_t end;
    };
    std::vector<Char> chars;
    const icu::UnicodeString& s = text_.text;
    for (int32_t i = begin; i < end;) {
      const UChar32 c = code_point_at(s, i);
      const bool mark = (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0 || c == 0xFF9E || c == 0xFF9F;
      if (mark && !chars.empty()) {
        chars.back().end = i + U16_LENGTH(c);
      } else {
        chars.push_back(Char{{}, i, i + U16_LENGTH(c)});
      }
      i += U16_LENGTH(c);
    }
    for (Char& ch : chars) ch.folded = folded_char(s.tempSubStringBetween(ch.begin, ch.end));
    if (chars.size() == 1) {
      emit(chars[0].folded, chars[0].begin, chars[0].end, false, false, true);
      return;
    }
    for (std::size_t k = 0; k + 1 < chars.size(); ++k) {
      emit(chars[k].folded + chars[k + 1].folded, chars[k].begin, chars[k + 1].end, k > 0);
    }
    const Char& last = chars.back();
    emit(last.folded, last.begin, last.end, false, true);
  }

  // Other scripts: ICU's word breaks (dictionaries for Thai, Lao, Khmer,
  // Burmese), each word cut again at the punctuation inside it.
  void words(int32_t begin, int32_t end) {
    const icu::UnicodeString span = text_.text.tempSubStringBetween(begin, end);
    t_.words->setText(span);
    int32_t from = t_.words->first();
    for (int32_t to = t_.words->next(); to != icu::BreakIterator::DONE;
         from = to, to = t_.words->next()) {
      if (t_.words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
      int32_t i = from;
      while (i < to) {
        // Each character's code point read once: whether it is a word
        // character, then how many UTF-16 units it takes.
        const auto skip_while = [&](bool word) {
          while (i < to) {
            const UChar32 c = code_point_at(span, i);
            if (is_word_char(c) != word) break;
            i += U16_LENGTH(c);
          }
        };
        skip_while(false);
        const int32_t piece = i;
        skip_while(true);
        if (i > piece) {
          emit(to_utf8(fold(t_, span.tempSubStringBetween(piece, i))), begin + piece, begin + i,
               false);
        }
      }
    }
  }

  IcuTools& t_;
  const Utf16Text& text_;
  std::vector<SearchToken>& out_;
};

Status icu_tokens(std::string_view text, std::vector<SearchToken>& out) {
  auto tools = thread_tools();
  if (!tools) return std::move(tools).error();
  // Kept per thread (the walk below calls nothing that tokenizes), up to a
  // size: a longer text's UTF-16 copy and offsets, about ten times its
  // bytes, are given back rather than held for the thread's life.
  thread_local Utf16Text utf16;
  constexpr std::size_t kRetainedTextBytes = 64 * 1024;
  struct GiveBack {
    Utf16Text& buffers;
    bool large;
    ~GiveBack() {
      if (large) buffers = Utf16Text{};
    }
  } give_back{utf16, text.size() > kRetainedTextBytes};
  if (!decode(text, utf16)) return make_error(Errc::kNoMemory, "out of memory decoding text");
  Tokenizer(**tools, utf16, out).run();
  return {};
}

// --- The fast path for Chinese, Japanese and Korean text ---------------
//
// What the ICU path does to such text is decided character by character: a
// run of paired characters is folded one character at a time and paired, and
// between runs the words are the runs of letters and digits (ICU's word
// breaks, each word cut again at the punctuation inside it, leave exactly
// those when the only letters and digits are ASCII). So once each character
// is known, ICU is not needed: a table holds, for every code point of the
// first plane, what the ICU path makes of it, learnt from that path the first
// time the character is seen.

// A table entry: the class in the top bits and, for a paired character, its
// folded form's UTF-8 bytes (at most three) and their count.
enum CharClass : std::uint32_t {
  kUnknown = 0,            // not seen yet
  kPairedChar = 1u << 28,  // a character of a paired script, folded to the low bytes
  kSeparator = 2u << 28,   // punctuation, a symbol or a space: never part of a token
  kOtherChar = 3u << 28,   // anything else: the text goes to ICU
};
constexpr std::uint32_t kClassMask = 3u << 28;
constexpr int kLengthShift = 24;

// For the process, shared by every thread: an entry holds the whole answer,
// the same whichever thread computes it (two threads meeting a character at
// once may both write it), and nothing else is published with it, so relaxed
// atomics are enough. The table is 256 KiB of zeroed memory, touched a page
// at a time as characters of that page appear.
std::atomic<std::uint32_t> g_char_table[0x10000];

std::uint32_t classify(UChar32 c) {
  if (!is_word_char(c)) {
    const auto mask = U_GET_GC_MASK(c);
    return (mask & (U_GC_P_MASK | U_GC_S_MASK | U_GC_Z_MASK)) != 0 ? kSeparator : kOtherChar;
  }
  // Marks join the character before them, which takes the ICU path's
  // grouping; half-width voicing marks are letters that NFKC composes.
  if ((U_GET_GC_MASK(c) & U_GC_M_MASK) != 0 || c == 0xFF9E || c == 0xFF9F) return kOtherChar;
  if (!is_paired_script(c)) return kOtherChar;
  auto tools = thread_tools();
  if (!tools) return kUnknown;  // the ICU path reports why
  const std::string folded = fold_paired_char(**tools, icu::UnicodeString(c));
  if (folded.empty() || folded.size() > 3) return kOtherChar;
  std::uint32_t entry = kPairedChar | (static_cast<std::uint32_t>(folded.size()) << kLengthShift);
  for (std::size_t k = 0; k < folded.size(); ++k) {
    entry |= static_cast<std::uint32_t>(static_cast<unsigned char>(folded[k])) << (8 * k);
  }
  return entry;
}

std::uint32_t char_entry(UChar32 c) {
  std::atomic<std::uint32_t>& slot = g_char_table[c];
  std::uint32_t entry = slot.load(std::memory_order_relaxed);
  if (entry == kUnknown) {
    entry = classify(c);
    if (entry != kUnknown) slot.store(entry, std::memory_order_relaxed);
  }
  return entry;
}

void append_folded(std::string& word, std::uint32_t entry) {
  const char bytes[3] = {static_cast<char>(entry & 0xFF), static_cast<char>((entry >> 8) & 0xFF),
                         static_cast<char>((entry >> 16) & 0xFF)};
  word.append(bytes, (entry >> kLengthShift) & 3);
}

}  // namespace

bool detail::cjk_tokens(std::string_view text, std::vector<SearchToken>& out) {
  out.clear();
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) return false;  // ICU's indexes
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  // The run of paired characters being read: its last character and how
  // many it has had; each new character closes a pair with the last one.
  struct Paired {
    std::uint32_t entry;
    std::size_t begin, end;
  } last{0, 0, 0};
  std::size_t run = 0;
  const auto end_run = [&] {
    if (run == 0) return;
    SearchToken& token = out.emplace_back();
    append_folded(token.word, last.entry);
    token.begin = last.begin;
    token.end = last.end;
    token.lone_char = run == 1;
    token.run_end = run > 1;
    run = 0;
  };
  // The ASCII word being read (its token's index), lower-cased into its
  // token as it goes.
  constexpr std::size_t kNoWord = SIZE_MAX;
  std::size_t word = kNoWord;
  const auto end_word = [&](std::size_t at) {
    if (word != kNoWord) out[word].end = at;
    word = kNoWord;
  };
  int32_t i = 0;
  while (i < length) {
    const auto at = static_cast<std::size_t>(i);
    if (bytes[i] < 0x80) {
      end_run();
      const char lower = detail::kAsciiWordChars.lower[bytes[i]];
      if (lower == 0) {
        end_word(at);
      } else {
        if (word == kNoWord) {
          word = out.size();
          out.emplace_back().begin = at;
        }
        out[word].word.push_back(lower);
      }
      ++i;
      continue;
    }
    end_word(at);
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || c > 0xFFFF) return false;
    const std::uint32_t entry = char_entry(c);
    switch (entry & kClassMask) {
      case kSeparator:
        end_run();
        break;
      case kPairedChar:
        if (run > 0) {
          SearchToken& pair = out.emplace_back();
          append_folded(pair.word, last.entry);
          append_folded(pair.word, entry);
          pair.begin = last.begin;
          pair.end = static_cast<std::size_t>(i);
          pair.joins_previous = run > 1;
        }
        last = Paired{entry, at, static_cast<std::size_t>(i)};
        ++run;
        break;
      default:
        return false;
    }
  }
  end_word(text.size());
  end_run();
  return true;
}

void detail::forget_cjk_chars_for_testing() noexcept {
  for (auto& entry : g_char_table) entry.store(kUnknown, std::memory_order_relaxed);
}

bool is_ascii_text(std::string_view text) noexcept {
  return ascii_prefix_length(text) == text.size();
}

Status search_tokens_into(std::string_view text, std::vector<SearchToken>& out) {
  out.clear();
  if (is_ascii_text(text)) {
    ascii_tokens(text, out);
    return {};
  }
  if (detail::cjk_tokens(text, out)) return {};
  out.clear();
  return icu_tokens(text, out);
}

Result<std::vector<SearchToken>> search_tokens(std::string_view text) {
  std::vector<SearchToken> out;
  if (auto st = search_tokens_into(text, out); !st) return std::move(st).error();
  return out;
}

Result<std::vector<SearchToken>> detail::search_tokens_by_icu(std::string_view text) {
  std::vector<SearchToken> out;
  if (auto st = icu_tokens(text, out); !st) return std::move(st).error();
  return out;
}

Result<std::vector<std::string>> search_words(std::string_view text) {
  auto tokens = search_tokens(text);
  if (!tokens) return std::move(tokens).error();
  std::vector<std::string> out;
  out.reserve(tokens->size());
  for (auto& t : *tokens) out.push_back(std::move(t.word));
  return out;
}

Result<std::vector<std::string>> name_search_words(std::string_view name) {
  auto words = search_words(name);
  if (!words) return words;
  if (is_ascii_text(name)) return words;
  auto tools = thread_tools();
  if (!tools) return std::move(tools).error();
  IcuTools& t = **tools;
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  auto is_han = [](UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(c, &status) == USCRIPT_HAN;
  };
  for (int32_t i = 0; i < s.length();) {
    if (!is_han(s.char32At(i))) {
      i += U16_LENGTH(s.char32At(i));
      continue;
    }
    const int32_t start = i;
    while (i < s.length() && is_han(s.char32At(i))) i += U16_LENGTH(s.char32At(i));
    icu::UnicodeString latin = s.tempSubStringBetween(start, i);
    t.to_pinyin->transliterate(latin);
    auto syllables = search_words(to_utf8(latin));
    if (!syllables) return syllables;
    std::string joined;
    for (const auto& syllable : *syllables) {
      joined += syllable;
      words->push_back(syllable);
    }
    if (syllables->size() > 1) words->push_back(joined);
  }
  return words;
}

Result<std::vector<SearchPhrase>> search_query(std::string_view text) {
  auto tokens = search_tokens(text);
  if (!tokens) return std::move(tokens).error();
  std::vector<SearchPhrase> out;
  for (auto& t : *tokens) {
    if (t.run_end) continue;
    if (!t.joins_previous || out.empty()) out.emplace_back();
    out.back().words.push_back(std::move(t.word));
    out.back().prefix = t.lone_char;
  }
  return out;
}

bool phrase_word_matches(const SearchPhrase& phrase, std::size_t i, std::string_view word) {
  const std::string& wanted = phrase.words[i];
  if (phrase.prefix) return word.substr(0, wanted.size()) == wanted;
  return word == wanted;
}

}  // namespace hotline::store
