#include "search_tokenizer.hpp"

#include <sqlite3.h>

#include <climits>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fts5_api_of.hpp"
#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store::sqlite {
namespace {

// What an instance tokenizes: ticket text, or names (with their pinyin).
struct Instance {
  bool names = false;
};

int create(void*, const char** args, int count, Fts5Tokenizer** out) {
  *out = nullptr;
  bool names = false;
  for (int i = 0; i < count; ++i) {
    if (std::string_view(args[i]) == "names") {
      names = true;
    } else {
      return SQLITE_ERROR;  // FTS5 reports "error in tokenizer constructor"
    }
  }
  auto* instance = new (std::nothrow) Instance{names};
  if (!instance) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(instance);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<Instance*>(tokenizer); }

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

int emit(void* ctx, TokenCallback callback, std::string_view word, std::size_t begin,
         std::size_t end) {
  if (word.size() > static_cast<std::size_t>(INT_MAX)) return SQLITE_TOOBIG;
  return callback(ctx, 0, word.data(), static_cast<int>(word.size()), static_cast<int>(begin),
                  static_cast<int>(end));
}

int tokenize_query(void* ctx, std::string_view text, TokenCallback callback) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i == start) break;
    if (int rc = emit(ctx, callback, text.substr(start, i - start), start, i); rc != SQLITE_OK) {
      return rc;
    }
  }
  return SQLITE_OK;
}

// Buffers kept across calls on this thread: FTS5 calls the tokenizer once
// per column of every row it indexes, and a batch of tickets would otherwise
// allocate a token list, and a string per token, for each.
struct Scratch {
  std::string word;
  std::vector<SearchToken> tokens;
  bool in_use = false;
};

// A list longer than this is given back after use, so that one long text
// does not keep its tokens' memory for the thread's life.
constexpr std::size_t kRetainedTokens = 4096;
constexpr std::size_t kRetainedWordBytes = 4096;

// The thread's scratch, or a fresh one should a token callback ever
// tokenize again on this thread while the thread's is being walked.
class ScratchLease {
 public:
  ScratchLease() {
    thread_local Scratch shared;
    scratch_ = shared.in_use ? &own_ : &shared;
    scratch_->in_use = true;
  }
  ~ScratchLease() {
    scratch_->in_use = false;
    if (scratch_->tokens.capacity() > kRetainedTokens) {
      std::vector<SearchToken>().swap(scratch_->tokens);
    }
    if (scratch_->word.capacity() > kRetainedWordBytes) std::string().swap(scratch_->word);
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& operator*() { return *scratch_; }

 private:
  Scratch own_;
  Scratch* scratch_;
};

int tokenize_document(const Instance& instance, void* ctx, std::string_view text,
                      TokenCallback callback) {
  ScratchLease lease;
  Scratch& scratch = *lease;
  // ASCII text (a name too: pinyin comes from Han characters only) goes
  // straight to FTS5, word by word, as search_tokens() would list it.
  if (is_ascii_text(text)) {
    return for_each_ascii_token(text, scratch.word,
                                [&](std::string_view word, std::size_t begin, std::size_t end) {
                                  return emit(ctx, callback, word, begin, end);
                                });
  }
  std::vector<SearchToken>& tokens = scratch.tokens;
  if (auto st = search_tokens_into(text, tokens); !st) {
    return st.error().code == Errc::kNoMemory ? SQLITE_NOMEM : SQLITE_ERROR;
  }
  for (const auto& t : tokens) {
    if (int rc = emit(ctx, callback, t.word, t.begin, t.end); rc != SQLITE_OK) return rc;
  }
  if (!instance.names) return SQLITE_OK;
  // The pinyin forms follow the name's own words, each spanning the name.
  auto all = name_search_words(text);
  if (!all) return all.error().code == Errc::kNoMemory ? SQLITE_NOMEM : SQLITE_ERROR;
  for (std::size_t k = tokens.size(); k < all->size(); ++k) {
    if (int rc = emit(ctx, callback, (*all)[k], 0, text.size()); rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int tokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* text, int size,
             TokenCallback callback) {
  if (size < 0) return SQLITE_ERROR;
  const std::string_view view(text ? text : "", static_cast<std::size_t>(size));
  try {
    if (flags & FTS5_TOKENIZE_QUERY) return tokenize_query(ctx, view, callback);
    return tokenize_document(*reinterpret_cast<Instance*>(tokenizer), ctx, view, callback);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

}  // namespace

Status register_search_tokenizer(sqlite3* db) {
  HL_STORE_TRY(api, fts5_api_of(db));
  fts5_tokenizer methods{create, destroy, tokenize};
  if (api->xCreateTokenizer(api, "hotline", nullptr, &methods, nullptr) != SQLITE_OK) {
    return make_error(Errc::kInternal, "registering the search tokenizer with FTS5 failed");
  }
  return {};
}

}  // namespace hotline::store::sqlite
