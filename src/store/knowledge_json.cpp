#include "hotline/store/knowledge_json.hpp"

#include <fmt/format.h>

#include "store/json_object_reader.hpp"
#include "store/text_input.hpp"
#include "store/try.hpp"

namespace hotline::store {

using nlohmann::json;

namespace {

json time_or_null(TimeMs t) { return t == kNoTime ? json(nullptr) : json(t); }

constexpr std::int64_t kMaxListLimit = 1000;

Status check_limit(const std::string& path, std::int64_t limit) {
  if (limit >= 1 && limit <= kMaxListLimit) return {};
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: expected 1 to {}, not {}", path, kMaxListLimit, limit));
}

Status check_time(const std::string& path, std::int64_t t) {
  if (t >= 0) return {};
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: expected a time in ms since 1970, not {}", path, t));
}

}  // namespace

json to_json(const Category& c) {
  return json{{"id", c.id},
              {"parent", c.parent == 0 ? json(nullptr) : json(c.parent)},
              {"name", c.name},
              {"path", c.path},
              {"created_at", c.created_at},
              {"created_by", c.created_by}};
}

json to_json(const Article& a) {
  return json{{"id", a.id},
              {"title", a.title},
              {"body", a.body},
              {"category", a.category},
              {"tags", a.tags},
              {"status", article_status_name(a.status)},
              {"owner", a.owner},
              {"review_at", time_or_null(a.review_at)},
              {"stale", a.stale},
              {"version", a.version},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"updated_by", a.updated_by},
              {"used", a.used},
              {"helped", a.helped}};
}

json to_json(const ArticleVersion& v) {
  return json{{"article", v.article},   {"version", v.version},
              {"at", v.at},             {"actor", v.actor},
              {"changed", v.changed},   {"title", v.title},
              {"body", v.body},         {"category", v.category},
              {"tags", v.tags},         {"status", article_status_name(v.status)},
              {"owner", v.owner},       {"review_at", time_or_null(v.review_at)}};
}

json to_json(const Script& s) {
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

json to_json(const KnowledgeGap& g) {
  return json{{"query", g.query},
              {"count", g.count},
              {"first_at", g.first_at},
              {"last_at", g.last_at}};
}

json to_json(const Suggestion& s) {
  return json{{"kind", s.kind == Suggestion::Kind::kArticle ? "article" : "script"},
              {"id", s.id},
              {"title", s.title},
              {"score", s.score},
              {"reasons", s.reasons}};
}

json to_json(const RenderedScript& r) { return json{{"text", r.text}, {"missing", r.missing}}; }

Result<NewArticle> new_article_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  NewArticle a;
  std::optional<std::int64_t> review_at;
  HL_STORE_CHECK(r.text("title", a.title));
  HL_STORE_CHECK(r.text("body", a.body));
  HL_STORE_CHECK(r.text("category", a.category));
  HL_STORE_CHECK(r.texts("tags", a.tags));
  HL_STORE_CHECK(r.text("owner", a.owner));
  HL_STORE_CHECK(r.integer("review_at", review_at));
  HL_STORE_CHECK(r.done());
  if (review_at) {
    HL_STORE_CHECK(check_time(r.at("review_at"), *review_at));
    a.review_at = *review_at;
  }
  return a;
}

Result<ArticleUpdate> article_update_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  ArticleUpdate u;
  std::optional<std::int64_t> review_at;
  HL_STORE_CHECK(r.text("title", u.title));
  HL_STORE_CHECK(r.text("body", u.body));
  HL_STORE_CHECK(r.text("category", u.category));
  HL_STORE_CHECK(r.texts("tags", u.tags));
  HL_STORE_CHECK(r.text("owner", u.owner));
  HL_STORE_CHECK(r.integer("review_at", review_at));
  HL_STORE_CHECK(r.done());
  if (review_at) {
    HL_STORE_CHECK(check_time(r.at("review_at"), *review_at));
    u.review_at = *review_at;
  } else if (auto it = j.find("review_at"); it != j.end() && it->is_null()) {
    u.review_at = kNoTime;
  }
  return u;
}

Result<ArticleQuery> article_query_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  ArticleQuery q;
  std::optional<std::int64_t> limit;
  HL_STORE_CHECK(r.name("status", q.status, parse_article_status, "draft, published or archived"));
  HL_STORE_CHECK(r.text("category", q.category));
  HL_STORE_CHECK(r.text("tag", q.tag));
  HL_STORE_CHECK(r.flag("stale_only", q.stale_only));
  HL_STORE_CHECK(r.integer("limit", limit));
  HL_STORE_CHECK(r.done());
  if (limit) {
    HL_STORE_CHECK(check_limit(r.at("limit"), *limit));
    q.limit = static_cast<int>(*limit);
  }
  return q;
}

Result<NewScript> new_script_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  NewScript s;
  HL_STORE_CHECK(r.text("title", s.title));
  HL_STORE_CHECK(r.text("text", s.text));
  HL_STORE_CHECK(r.text("queue", s.queue));
  HL_STORE_CHECK(r.text("category", s.category));
  HL_STORE_CHECK(r.text("ivr_path", s.ivr_path));
  HL_STORE_CHECK(r.text("shortcut", s.shortcut));
  HL_STORE_CHECK(r.done());
  return s;
}

Result<ScriptUpdate> script_update_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  ScriptUpdate u;
  HL_STORE_CHECK(r.text("title", u.title));
  HL_STORE_CHECK(r.text("text", u.text));
  HL_STORE_CHECK(r.text("queue", u.queue));
  HL_STORE_CHECK(r.text("category", u.category));
  HL_STORE_CHECK(r.text("ivr_path", u.ivr_path));
  HL_STORE_CHECK(r.text("shortcut", u.shortcut));
  HL_STORE_CHECK(r.done());
  return u;
}

Result<ScriptQuery> script_query_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  ScriptQuery q;
  HL_STORE_CHECK(r.text("queue", q.queue));
  HL_STORE_CHECK(r.text("category", q.category));
  HL_STORE_CHECK(r.text("ivr_path", q.ivr_path));
  HL_STORE_CHECK(r.flag("quick_replies_only", q.quick_replies_only));
  HL_STORE_CHECK(r.done());
  return q;
}

Result<SuggestionRequest> suggestion_request_from_json(const json& j, std::string_view path) {
  JsonObjectReader r(j, path);
  HL_STORE_CHECK(r.object());
  SuggestionRequest s;
  std::optional<std::int64_t> limit;
  HL_STORE_CHECK(r.text("queue", s.queue));
  HL_STORE_CHECK(r.text("ivr_path", s.ivr_path));
  HL_STORE_CHECK(r.text("category", s.category));
  HL_STORE_CHECK(r.text("subject", s.subject));
  HL_STORE_CHECK(r.integer("limit", limit));
  HL_STORE_CHECK(r.done());
  if (limit) {
    HL_STORE_CHECK(check_limit(r.at("limit"), *limit));
    s.limit = static_cast<int>(*limit);
  }
  return s;
}

Result<ArticleUse> article_use_from_text(std::string_view text) {
  if (text == "used") return ArticleUse::kUsed;
  if (text == "helped") return ArticleUse::kHelped;
  return make_error(Errc::kInvalidArgument,
                    fmt::format("use: expected used or helped, not '{}'", excerpt(text)));
}

}  // namespace hotline::store
