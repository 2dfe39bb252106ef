#include "store/kv/kv_knowledge.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/util/json_input.hpp"
#include "store/knowledge_text.hpp"
#include "store/search/ranking.hpp"
#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store {
namespace {

using nlohmann::json;

// ---- records, whole, as JSON ------------------------------------------------

json encode(const Category& c) {
  return json{{"id", c.id},     {"parent", c.parent},         {"name", c.name},
              {"path", c.path}, {"created_at", c.created_at}, {"created_by", c.created_by}};
}
json encode(const Article& a) {
  return json{{"id", a.id},
              {"title", a.title},
              {"body", a.body},
              {"category", a.category},
              {"tags", a.tags},
              {"status", static_cast<int>(a.status)},
              {"owner", a.owner},
              {"review_at", a.review_at},
              {"version", a.version},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"updated_by", a.updated_by},
              {"used", a.used},
              {"helped", a.helped}};
}
json encode(const ArticleVersion& v) {
  return json{{"article", v.article}, {"version", v.version},   {"at", v.at},
              {"actor", v.actor},     {"changed", v.changed},   {"title", v.title},
              {"body", v.body},       {"category", v.category}, {"tags", v.tags},
              {"status", static_cast<int>(v.status)},           {"owner", v.owner},
              {"review_at", v.review_at}};
}
json encode(const Script& s) {
  return json{{"id", s.id},
              {"title", s.title},
              {"text", s.text},
              {"queue", s.queue},
              {"category", s.category},
              {"ivr_path", s.ivr_path},
              {"shortcut", s.shortcut},
              {"created_at", s.created_at},
              {"updated_at", s.updated_at},
              {"updated_by", s.updated_by}};
}
json encode(const SearchMiss& m) {
  return json{{"id", m.id}, {"at", m.at}, {"actor", m.actor}, {"query", m.query}};
}

ArticleStatus status_of(int n) {
  return n == 1 ? ArticleStatus::kPublished
                : n == 2 ? ArticleStatus::kArchived : ArticleStatus::kDraft;
}

void decode(const json& j, Category& c) {
  c.id = j.at("id").get<std::int64_t>();
  c.parent = j.at("parent").get<std::int64_t>();
  c.name = j.at("name").get<std::string>();
  c.path = j.at("path").get<std::string>();
  c.created_at = j.at("created_at").get<TimeMs>();
  c.created_by = j.at("created_by").get<std::string>();
}
void decode(const json& j, Article& a) {
  a.id = j.at("id").get<std::int64_t>();
  a.title = j.at("title").get<std::string>();
  a.body = j.at("body").get<std::string>();
  a.category = j.at("category").get<std::string>();
  a.tags = j.at("tags").get<std::vector<std::string>>();
  a.status = status_of(j.at("status").get<int>());
  a.owner = j.at("owner").get<std::string>();
  a.review_at = j.at("review_at").get<TimeMs>();
  a.version = j.at("version").get<int>();
  a.created_at = j.at("created_at").get<TimeMs>();
  a.updated_at = j.at("updated_at").get<TimeMs>();
  a.updated_by = j.at("updated_by").get<std::string>();
  a.used = j.at("used").get<std::int64_t>();
  a.helped = j.at("helped").get<std::int64_t>();
}
void decode(const json& j, ArticleVersion& v) {
  v.article = j.at("article").get<std::int64_t>();
  v.version = j.at("version").get<int>();
  v.at = j.at("at").get<TimeMs>();
  v.actor = j.at("actor").get<std::string>();
  v.changed = j.at("changed").get<std::vector<std::string>>();
  v.title = j.at("title").get<std::string>();
  v.body = j.at("body").get<std::string>();
  v.category = j.at("category").get<std::string>();
  v.tags = j.at("tags").get<std::vector<std::string>>();
  v.status = status_of(j.at("status").get<int>());
  v.owner = j.at("owner").get<std::string>();
  v.review_at = j.at("review_at").get<TimeMs>();
}
void decode(const json& j, Script& s) {
  s.id = j.at("id").get<std::int64_t>();
  s.title = j.at("title").get<std::string>();
  s.text = j.at("text").get<std::string>();
  s.queue = j.at("queue").get<std::string>();
  s.category = j.at("category").get<std::string>();
  s.ivr_path = j.at("ivr_path").get<std::string>();
  s.shortcut = j.at("shortcut").get<std::string>();
  s.created_at = j.at("created_at").get<TimeMs>();
  s.updated_at = j.at("updated_at").get<TimeMs>();
  s.updated_by = j.at("updated_by").get<std::string>();
}
void decode(const json& j, SearchMiss& m) {
  m.id = j.at("id").get<std::int64_t>();
  m.at = j.at("at").get<TimeMs>();
  m.actor = j.at("actor").get<std::string>();
  m.query = j.at("query").get<std::string>();
}

// A record as the host hands it back; anything unreadable is an I/O error
// naming the kind, never an exception.
template <typename T>
Status read_record(std::string_view text, std::string_view kind, T& out) {
  auto j = parse_json(text, fmt::format("the host's {} record", kind));
  if (!j) return std::move(j).error();
  try {
    decode(*j, out);
  } catch (const json::exception&) {
    return make_error(Errc::kIo,
                      fmt::format("the host's storage returned an unreadable {} record", kind));
  }
  return {};
}

class KvKnowledge final : public KnowledgeStore {
 public:
  explicit KvKnowledge(KeyValueStore& kv) : kv_(kv) {}

  Status put_category(Category& c) override { return put("kb_category", c); }
  Result<std::vector<Category>> categories() override {
    HL_STORE_TRY(rows, all<Category>("kb_category"));
    std::sort(rows.begin(), rows.end(),
              [](const Category& a, const Category& b) { return a.path < b.path; });
    return std::move(rows);
  }

  Status put_article(Article& a) override { return put("kb_article", a); }
  Result<Article> get_article(ArticleId id) override {
    return require<Article>("kb_article", id, "article");
  }
  Result<std::vector<Article>> articles() override { return all<Article>("kb_article"); }
  Result<std::vector<ArticleId>> search_articles(std::string_view text, int limit) override {
    HL_STORE_TRY(phrases, search_query(text));
    if (phrases.empty() || limit <= 0) return std::vector<ArticleId>{};
    HL_STORE_TRY(rows, all<Article>("kb_article"));
    std::vector<search::IndexedRecord> records;
    records.reserve(rows.size());
    for (const Article& a : rows) {
      search::IndexedRecord r;
      r.id = a.id;
      r.updated_at = a.updated_at;
      for (const std::string& column : {a.title, a.body, tags_text(a.tags)}) {
        HL_STORE_TRY(words, search_words(column));
        r.columns.push_back(std::move(words));
      }
      records.push_back(std::move(r));
    }
    return search::rank(records, phrases, limit);
  }

  Status add_version(const ArticleVersion& v) override {
    HL_STORE_TRY(id, next_id());
    return kv_.put("kb_version", id, encode(v).dump());
  }
  Result<std::vector<ArticleVersion>> versions(ArticleId article) override {
    HL_STORE_TRY(rows, all<ArticleVersion>("kb_version"));
    std::vector<ArticleVersion> out;
    for (auto& v : rows) {
      if (v.article == article) out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.version < b.version;
    });
    return out;
  }

  Status put_script(Script& s) override { return put("kb_script", s); }
  Result<Script> get_script(ScriptId id) override {
    return require<Script>("kb_script", id, "script");
  }
  Result<std::vector<Script>> scripts() override { return all<Script>("kb_script"); }

  Status add_search_miss(SearchMiss& m) override {
    m.id = 0;
    return put("kb_miss", m);
  }
  Result<std::vector<SearchMiss>> search_misses(TimeMs from, TimeMs to) override {
    HL_STORE_TRY(rows, all<SearchMiss>("kb_miss"));
    std::vector<SearchMiss> out;
    for (auto& m : rows) {
      if (m.at >= from && m.at < to) out.push_back(std::move(m));
    }
    return out;
  }

 private:
  Result<std::int64_t> next_id() {
    HL_STORE_TRY(current, kv_.get("kb_counter", 0));
    std::int64_t next = 1;
    if (current) {
      auto j = parse_json(*current, "the host's kb_counter record");
      if (!j) return std::move(j).error();
      auto it = j->find("next");
      if (!j->is_object() || it == j->end() || !it->is_number_integer() ||
          it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > (std::int64_t{1} << 62)) {
        return make_error(Errc::kIo, "the host's storage returned an unreadable kb_counter record");
      }
      next = it->get<std::int64_t>();
    }
    HL_STORE_CHECK(kv_.put("kb_counter", 0, json{{"next", next + 1}}.dump()));
    return next;
  }

  // id 0 inserts with the next id; otherwise the record must exist.
  template <typename T>
  Status put(std::string_view kind, T& record) {
    if (record.id == 0) {
      HL_STORE_TRY(id, next_id());
      record.id = id;
    } else {
      HL_STORE_TRY(old, kv_.get(kind, record.id));
      if (!old) {
        return make_error(Errc::kNotFound, fmt::format("no {} with id {}", kind, record.id));
      }
    }
    return kv_.put(kind, record.id, encode(record).dump());
  }

  template <typename T>
  Result<T> require(std::string_view kind, std::int64_t id, const char* what) {
    HL_STORE_TRY(text, kv_.get(kind, id));
    if (!text) return make_error(Errc::kNotFound, fmt::format("no {} with id {}", what, id));
    T record;
    HL_STORE_CHECK(read_record(*text, kind, record));
    return record;
  }

  // Every record of a kind, by key (the host's scan order is its own).
  template <typename T>
  Result<std::vector<T>> all(std::string_view kind) {
    std::vector<std::pair<std::int64_t, T>> rows;
    Status failed;
    HL_STORE_CHECK(kv_.scan(kind, [&](std::int64_t key, std::string_view text) {
      T record;
      if (Status st = read_record(text, kind, record); !st) {
        failed = std::move(st);
        return false;
      }
      rows.emplace_back(key, std::move(record));
      return true;
    }));
    if (!failed) return std::move(failed).error();
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<T> out;
    out.reserve(rows.size());
    for (auto& [key, record] : rows) out.push_back(std::move(record));
    return out;
  }

  KeyValueStore& kv_;
};

}  // namespace

std::unique_ptr<KnowledgeStore> open_key_value_knowledge(KeyValueStore& kv) {
  return std::make_unique<KvKnowledge>(kv);
}

}  // namespace hotline::store
