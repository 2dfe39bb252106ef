#include "sqlite_knowledge.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fts_search.hpp"
#include "store/search_words.hpp"
#include "store/knowledge_text.hpp"
#include "store/try.hpp"

namespace hotline::store::sqlite {
namespace {

using nlohmann::json;

std::string list_text(const std::vector<std::string>& list) { return json(list).dump(); }

// A list column as this library wrote it; a damaged one reads as empty
// rather than failing every read of the article.
std::vector<std::string> list_of(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

ArticleStatus status_of(std::int64_t n) {
  return n == 1 ? ArticleStatus::kPublished
                : n == 2 ? ArticleStatus::kArchived : ArticleStatus::kDraft;
}

#define HL_ARTICLE_COLUMNS                                                                   \
  "id, title, body, category, tags, status, owner, review_at, version, created_at, "         \
  "updated_at, updated_by, used, helped"
#define HL_VERSION_COLUMNS                                                                   \
  "article_id, version, at, actor, changed, title, body, category, tags, status, owner, "    \
  "review_at"
#define HL_SCRIPT_COLUMNS                                                                    \
  "id, title, text, queue, category, ivr_path, shortcut, created_at, updated_at, updated_by"

Article read_article(const Statement& s) {
  Article a;
  a.id = s.int64(0);
  a.title = s.text(1);
  a.body = s.text(2);
  a.category = s.text(3);
  a.tags = list_of(s.text(4));
  a.status = status_of(s.int64(5));
  a.owner = s.text(6);
  a.review_at = s.int64(7);
  a.version = static_cast<int>(s.int64(8));
  a.created_at = s.int64(9);
  a.updated_at = s.int64(10);
  a.updated_by = s.text(11);
  a.used = s.int64(12);
  a.helped = s.int64(13);
  return a;
}

ArticleVersion read_version(const Statement& s) {
  ArticleVersion v;
  v.article = s.int64(0);
  v.version = static_cast<int>(s.int64(1));
  v.at = s.int64(2);
  v.actor = s.text(3);
  v.changed = list_of(s.text(4));
  v.title = s.text(5);
  v.body = s.text(6);
  v.category = s.text(7);
  v.tags = list_of(s.text(8));
  v.status = status_of(s.int64(9));
  v.owner = s.text(10);
  v.review_at = s.int64(11);
  return v;
}

Script read_script(const Statement& s) {
  Script c;
  c.id = s.int64(0);
  c.title = s.text(1);
  c.text = s.text(2);
  c.queue = s.text(3);
  c.category = s.text(4);
  c.ivr_path = s.text(5);
  c.shortcut = s.text(6);
  c.created_at = s.int64(7);
  c.updated_at = s.int64(8);
  c.updated_by = s.text(9);
  return c;
}

class SqliteKnowledge final : public KnowledgeStore {
 public:
  explicit SqliteKnowledge(Database& db) : db_(db) {}

  Status put_category(Category& c) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO kb_categories(parent, name, path, created_at, created_by) "
                  "VALUES(?1, ?2, ?3, ?4, ?5)"));
    s->bind(1, c.parent).bind(2, c.name).bind(3, c.path).bind(4, c.created_at).bind(5,
                                                                                 c.created_by);
    HL_STORE_CHECK(s->run());
    c.id = db_.last_insert_rowid();
    return {};
  }
  Result<std::vector<Category>> categories() override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id, parent, name, path, created_at, created_by FROM kb_categories "
                  "ORDER BY path"));
    ScopedReset reset(s);
    std::vector<Category> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(Category{s->int64(0), s->int64(1), s->text(2), s->text(3), s->int64(4),
                             s->text(5)});
    }
    return out;
  }

  Status put_article(Article& a) override {
    const std::string tags = list_text(a.tags);
    if (a.id == 0) {
      HL_STORE_TRY(s, db_.prepare(
                    "INSERT INTO kb_articles(title, body, category, tags, status, owner, "
                    "review_at, version, created_at, updated_at, updated_by, used, helped) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
      bind_article(*s, a, tags);
      HL_STORE_CHECK(s->run());
      a.id = db_.last_insert_rowid();
    } else {
      HL_STORE_TRY(s, db_.prepare(
                    "UPDATE kb_articles SET title = ?1, body = ?2, category = ?3, tags = ?4, "
                    "status = ?5, owner = ?6, review_at = ?7, version = ?8, created_at = ?9, "
                    "updated_at = ?10, updated_by = ?11, used = ?12, helped = ?13 "
                    "WHERE id = ?14"));
      bind_article(*s, a, tags);
      s->bind(14, a.id);
      HL_STORE_CHECK(s->run());
      if (db_.changes() == 0) {
        return make_error(Errc::kNotFound, fmt::format("no article with id {}", a.id));
      }
      HL_STORE_TRY(d, db_.prepare("DELETE FROM kb_article_text WHERE rowid = ?1"));
      d->bind(1, a.id);
      HL_STORE_CHECK(d->run());
    }
    const std::string tag_words = tags_text(a.tags);
    HL_STORE_TRY(t, db_.prepare(
                  "INSERT INTO kb_article_text(rowid, title, body, tags) VALUES(?1, ?2, ?3, ?4)"));
    t->bind(1, a.id).bind(2, a.title).bind(3, a.body).bind(4, tag_words);
    return t->run();
  }
  Result<Article> get_article(ArticleId id) override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_ARTICLE_COLUMNS " FROM kb_articles WHERE id = ?1"));
    ScopedReset reset(s);
    s->bind(1, id);
    HL_STORE_TRY(row, s->step());
    if (!row) return make_error(Errc::kNotFound, fmt::format("no article with id {}", id));
    return read_article(*s);
  }
  Result<std::vector<Article>> articles() override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_ARTICLE_COLUMNS " FROM kb_articles ORDER BY id"));
    ScopedReset reset(s);
    std::vector<Article> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(read_article(*s));
    }
    return out;
  }
  Result<std::vector<ArticleId>> search_articles(std::string_view text, int limit) override {
    HL_STORE_TRY(phrases, search_query(text));
    if (phrases.empty() || limit <= 0) return std::vector<ArticleId>{};
    HL_STORE_TRY(updated, db_.prepare("SELECT updated_at FROM kb_articles WHERE id = ?1"));
    return ranked(db_, "kb_article_text", phrases, limit, RecencyReads{updated, nullptr});
  }

  Status add_version(const ArticleVersion& v) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO kb_article_versions(" HL_VERSION_COLUMNS ") "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    s->bind(1, v.article)
        .bind(2, v.version)
        .bind(3, v.at)
        .bind(4, v.actor)
        .bind(5, list_text(v.changed))
        .bind(6, v.title)
        .bind(7, v.body)
        .bind(8, v.category)
        .bind(9, list_text(v.tags))
        .bind(10, static_cast<int>(v.status))
        .bind(11, v.owner)
        .bind(12, v.review_at);
    return s->run();
  }
  Result<std::vector<ArticleVersion>> versions(ArticleId article) override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_VERSION_COLUMNS " FROM kb_article_versions "
                                "WHERE article_id = ?1 ORDER BY version"));
    ScopedReset reset(s);
    s->bind(1, article);
    std::vector<ArticleVersion> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(read_version(*s));
    }
    return out;
  }

  Status put_script(Script& c) override {
    if (c.id == 0) {
      HL_STORE_TRY(s, db_.prepare(
                    "INSERT INTO kb_scripts(title, text, queue, category, ivr_path, shortcut, "
                    "created_at, updated_at, updated_by) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
      bind_script(*s, c);
      HL_STORE_CHECK(s->run());
      c.id = db_.last_insert_rowid();
      return {};
    }
    HL_STORE_TRY(s, db_.prepare(
                  "UPDATE kb_scripts SET title = ?1, text = ?2, queue = ?3, category = ?4, "
                  "ivr_path = ?5, shortcut = ?6, created_at = ?7, updated_at = ?8, "
                  "updated_by = ?9 WHERE id = ?10"));
    bind_script(*s, c);
    s->bind(10, c.id);
    HL_STORE_CHECK(s->run());
    if (db_.changes() == 0) {
      return make_error(Errc::kNotFound, fmt::format("no script with id {}", c.id));
    }
    return {};
  }
  Result<Script> get_script(ScriptId id) override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_SCRIPT_COLUMNS " FROM kb_scripts WHERE id = ?1"));
    ScopedReset reset(s);
    s->bind(1, id);
    HL_STORE_TRY(row, s->step());
    if (!row) return make_error(Errc::kNotFound, fmt::format("no script with id {}", id));
    return read_script(*s);
  }
  Result<std::vector<Script>> scripts() override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_SCRIPT_COLUMNS " FROM kb_scripts ORDER BY id"));
    ScopedReset reset(s);
    std::vector<Script> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(read_script(*s));
    }
    return out;
  }

  Status add_search_miss(SearchMiss& m) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO kb_search_misses(at, actor, query) VALUES(?1, ?2, ?3)"));
    s->bind(1, m.at).bind(2, m.actor).bind(3, m.query);
    HL_STORE_CHECK(s->run());
    m.id = db_.last_insert_rowid();
    return {};
  }
  Result<std::vector<SearchMiss>> search_misses(TimeMs from, TimeMs to) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id, at, actor, query FROM kb_search_misses WHERE at >= ?1 AND at < ?2 "
                  "ORDER BY at, id"));
    ScopedReset reset(s);
    s->bind(1, from).bind(2, to);
    std::vector<SearchMiss> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(SearchMiss{s->int64(0), s->int64(1), s->text(2), s->text(3)});
    }
    return out;
  }

 private:
  static void bind_article(Statement& s, const Article& a, const std::string& tags) {
    s.bind(1, a.title)
        .bind(2, a.body)
        .bind(3, a.category)
        .bind(4, tags)
        .bind(5, static_cast<int>(a.status))
        .bind(6, a.owner)
        .bind(7, a.review_at)
        .bind(8, a.version)
        .bind(9, a.created_at)
        .bind(10, a.updated_at)
        .bind(11, a.updated_by)
        .bind(12, a.used)
        .bind(13, a.helped);
  }
  static void bind_script(Statement& s, const Script& c) {
    s.bind(1, c.title)
        .bind(2, c.text)
        .bind(3, c.queue)
        .bind(4, c.category)
        .bind(5, c.ivr_path)
        .bind(6, c.shortcut)
        .bind(7, c.created_at)
        .bind(8, c.updated_at)
        .bind(9, c.updated_by);
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<KnowledgeStore> open_knowledge(Database& db) {
  return std::make_unique<SqliteKnowledge>(db);
}

}  // namespace hotline::store::sqlite
