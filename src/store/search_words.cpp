#include "store/search_words.hpp"

#include <sqlite3.h>

#include <climits>

namespace hotline::store {
namespace {

// One tokenizer per thread, on a private in-memory connection: FTS5 hands
// out its tokenizers only through a connection.
class Unicode61 {
 public:
  Unicode61() {
    if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      return;
    }
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return;
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (!api) return;
    void* user = nullptr;
    fts5_tokenizer methods{};
    if (api->xFindTokenizer(api, "unicode61", &user, &methods) != SQLITE_OK) return;
    // The SQLite backend's index is created with these options (schema.cpp).
    const char* args[] = {"remove_diacritics", "2"};
    if (methods.xCreate(user, args, 2, &tokenizer_) != SQLITE_OK) {
      tokenizer_ = nullptr;
      return;
    }
    methods_ = methods;
  }
  ~Unicode61() {
    if (tokenizer_) methods_.xDelete(tokenizer_);
    if (db_) sqlite3_close(db_);
  }
  Unicode61(const Unicode61&) = delete;
  Unicode61& operator=(const Unicode61&) = delete;

  Result<std::vector<std::string>> words(std::string_view text) {
    if (!tokenizer_) {
      return make_error(Errc::kInternal, "the unicode61 tokenizer of SQLite's FTS5 is missing");
    }
    if (text.size() > static_cast<std::size_t>(INT_MAX)) {
      return make_error(Errc::kInvalidArgument, "search text longer than 2 GiB");
    }
    std::vector<std::string> out;
    auto add = [](void* ctx, int, const char* token, int size, int, int) {
      static_cast<std::vector<std::string>*>(ctx)->emplace_back(token,
                                                               static_cast<std::size_t>(size));
      return SQLITE_OK;
    };
    const int rc = methods_.xTokenize(tokenizer_, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                                      static_cast<int>(text.size()), add);
    if (rc != SQLITE_OK) {
      return make_error(rc == SQLITE_NOMEM ? Errc::kNoMemory : Errc::kInternal,
                        "splitting text into search words failed");
    }
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  Fts5Tokenizer* tokenizer_ = nullptr;
  fts5_tokenizer methods_{};
};

}  // namespace

Result<std::vector<std::string>> search_words(std::string_view text) {
  thread_local Unicode61 tokenizer;
  return tokenizer.words(text);
}

}  // namespace hotline::store
