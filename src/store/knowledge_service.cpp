#include "hotline/store/knowledge_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hotline/store/script_template.hpp"
#include "store/search_words.hpp"
#include "store/text_input.hpp"
#include "store/text_words_memo.hpp"
#include "store/try.hpp"
#include "store/write_scope.hpp"

namespace hotline::store {
namespace {

// Search asks the backend for this many matches, ranks them, and keeps the
// caller's limit: enough that the best match is among them for any query
// an agent types, small enough to rank in well under a millisecond.
constexpr int kSearchCandidates = 500;

bool is_editor(const Actor& actor) { return actor.role != Role::kAgent; }

Status require_editor(const Actor& actor, const char* what) {
  if (is_editor(actor)) return {};
  return make_error(Errc::kPermission,
                    fmt::format("{} may not {}: the knowledge base is edited by supervisors and "
                                "admins",
                                excerpt(actor.id), what));
}

Error article_not_found(ArticleId id) {
  return make_error(Errc::kNotFound, fmt::format("no article with id {}", id));
}

// One service call's write: its own transaction, or a part of the one
// write_together() holds open, which then commits or rolls back for all.
class KnowledgeWrite {
 public:
  KnowledgeWrite(Storage& storage, bool joined) : scope_(storage), joined_(joined) {}
  Status begin() { return joined_ ? Status{} : scope_.begin(); }
  Status commit() { return joined_ ? Status{} : scope_.commit(); }

 private:
  WriteScope scope_;
  bool joined_;
};

// "cards/lost" is within "cards" and within itself.
bool within(std::string_view path, std::string_view root) {
  if (root.empty()) return true;
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

std::string join_tags(const std::vector<std::string>& tags) {
  return fmt::format("{}", fmt::join(tags, " "));
}

ArticleVersion snapshot(const Article& a, TimeMs at, const std::string& actor,
                        std::vector<std::string> changed) {
  ArticleVersion v;
  v.article = a.id;
  v.version = a.version;
  v.at = at;
  v.actor = actor;
  v.changed = std::move(changed);
  v.title = a.title;
  v.body = a.body;
  v.category = a.category;
  v.tags = a.tags;
  v.status = a.status;
  v.owner = a.owner;
  v.review_at = a.review_at;
  return v;
}

// Word matches of a request in a record's text: a title (or tag) word counts
// 2, a body word 1; each request word counts once, at its best place.
struct TextMatch {
  double points = 0;
  std::vector<std::string> words;
};

// The fields of a record whose words are matched, as TextWordsMemo keys.
constexpr int kTitleField = 0;  // an article's title and tags, a script's title
constexpr int kBodyField = 1;   // an article's body, a script's text

// Scores the wanted words against a record's title and body words (sorted
// and distinct): 2 for a word in the title, else 1 for one in the body.
TextMatch text_match(const std::vector<SearchPhrase>& wanted,
                     const std::vector<std::string>& title_words,
                     const std::vector<std::string>& body_words) {
  TextMatch m;
  auto holds = [](const std::vector<std::string>& words, const SearchPhrase& w) {
    // The words beginning with a prefix's character sort right after it.
    auto it = std::lower_bound(words.begin(), words.end(), w.words[0]);
    if (it == words.end()) return false;
    return w.prefix ? phrase_word_matches(w, 0, *it) : *it == w.words[0];
  };
  for (const auto& w : wanted) {
    if (holds(title_words, w)) {
      m.points += 2;
    } else if (holds(body_words, w)) {
      m.points += 1;
    } else {
      continue;
    }
    m.words.push_back(w.words[0]);
  }
  return m;
}

Result<TextMatch> text_match(TextWordsMemo& memo, const std::vector<SearchPhrase>& wanted,
                             std::int64_t id, std::string_view title, std::string_view body) {
  if (wanted.empty()) return TextMatch{};
  HL_STORE_TRY(title_words, memo.words({id, kTitleField}, title));
  HL_STORE_TRY(body_words, memo.words({id, kBodyField}, body));
  return text_match(wanted, *title_words, *body_words);
}

Result<TextMatch> article_match(TextWordsMemo& memo, const std::vector<SearchPhrase>& wanted,
                                const Article& a) {
  return text_match(memo, wanted, a.id, a.title + ' ' + join_tags(a.tags), a.body);
}

double usage_points(const Article& a) {
  return 0.5 * std::log2(1.0 + static_cast<double>(a.used)) +
         std::log2(1.0 + static_cast<double>(a.helped));
}

// The words of a query as text_match() takes them: each word of its phrases
// once, alone, a one-character run still a prefix.
Result<std::vector<SearchPhrase>> wanted_words(std::string_view text) {
  HL_STORE_TRY(phrases, search_query(text));
  std::vector<SearchPhrase> out;
  for (const auto& p : phrases) {
    for (const auto& w : p.words) {
      SearchPhrase one{{w}, p.prefix};
      if (std::find(out.begin(), out.end(), one) == out.end()) out.push_back(std::move(one));
    }
  }
  return out;
}

}  // namespace

KnowledgeService::KnowledgeService(Storage& storage, Options options)
    : storage_(storage),
      options_(std::move(options)),
      article_words_(std::make_unique<TextWordsMemo>()),
      script_words_(std::make_unique<TextWordsMemo>()) {
  if (!options_.clock) options_.clock = [] { return TimeMs{0}; };
}

KnowledgeService::~KnowledgeService() = default;

Status KnowledgeService::write_together(const std::function<Status()>& writes) {
  if (writing_together_) {
    return make_error(Errc::kIllegalState, "write_together: already writing together");
  }
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  struct Joining {
    bool& flag;
    ~Joining() { flag = false; }
  } joining{writing_together_};
  writing_together_ = true;
  HL_STORE_CHECK(writes());
  return write.commit();
}

void KnowledgeService::mark_stale(Article& a) const {
  a.stale = a.review_at != kNoTime && options_.clock() >= a.review_at;
}

// ---- categories -------------------------------------------------------------

Result<Category> KnowledgeService::create_category(const Actor& actor, std::string_view path) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(require_editor(actor, "create categories"));
  HL_STORE_CHECK(check_text("category path", path, options_.limits.name * 4));
  std::vector<std::string_view> names;
  for (std::size_t start = 0;;) {
    const std::size_t slash = path.find('/', start);
    names.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("category path '{}': part {} is empty", excerpt(path), i + 1));
    }
    HL_STORE_CHECK(check_text(fmt::format("category path part {}", i + 1), names[i],
                              options_.limits.name));
  }
  if (names.size() > options_.limits.category_depth) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("category path '{}' is {} levels deep; the limit is {}",
                                  excerpt(path), names.size(), options_.limits.category_depth));
  }
  const TimeMs now = options_.clock();
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(all, storage_.knowledge().categories());
  Category c;
  c.name = std::string(names.back());
  c.path = std::string(path);
  c.created_at = now;
  c.created_by = actor.id;
  const std::string_view parent =
      names.size() == 1 ? std::string_view() : path.substr(0, path.size() - names.back().size() - 1);
  bool parent_found = parent.empty();
  for (const Category& existing : all) {
    if (existing.path == path) {
      return make_error(Errc::kExists, fmt::format("category '{}' exists", excerpt(path)));
    }
    if (existing.path == parent) {
      c.parent = existing.id;
      parent_found = true;
    }
  }
  if (!parent_found) {
    return make_error(Errc::kNotFound, fmt::format("category '{}' has no parent '{}'; create "
                                                   "that first",
                                                   excerpt(path), excerpt(parent)));
  }
  HL_STORE_CHECK(storage_.knowledge().put_category(c));
  HL_STORE_CHECK(write.commit());
  return c;
}

Result<std::vector<Category>> KnowledgeService::categories() {
  return storage_.knowledge().categories();
}

// ---- articles ---------------------------------------------------------------

Status KnowledgeService::check_article_fields(const std::string& title, const std::string& body,
                                              const std::string& category,
                                              const std::vector<std::string>& tags,
                                              const std::string& owner, TimeMs review_at) {
  const auto& lim = options_.limits;
  if (title.empty()) return make_error(Errc::kInvalidArgument, "title: an article needs a title");
  HL_STORE_CHECK(check_text("title", title, lim.title));
  HL_STORE_CHECK(check_text("body", body, lim.body));
  HL_STORE_CHECK(check_text("category", category, lim.name * 4));
  HL_STORE_CHECK(check_text("owner", owner, lim.name));
  if (tags.size() > lim.tags) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("tags: {} tags; the limit is {}", tags.size(), lim.tags));
  }
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string field = fmt::format("tags[{}]", i);
    HL_STORE_CHECK(check_text(field, tags[i], lim.name));
    if (tags[i].empty()) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: a tag cannot be empty", field));
    }
  }
  if (review_at != kNoTime && review_at < 0) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("review_at: expected a time in ms since 1970, not {}",
                                  review_at));
  }
  if (!category.empty()) {
    HL_STORE_TRY(all, storage_.knowledge().categories());
    const bool known = std::any_of(all.begin(), all.end(),
                                   [&](const Category& c) { return c.path == category; });
    if (!known) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("category: no category '{}'", excerpt(category)));
    }
  }
  return {};
}

Result<Article> KnowledgeService::create_article(const Actor& actor, const NewArticle& n) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(require_editor(actor, "create articles"));
  const std::string owner = n.owner.empty() ? actor.id : n.owner;
  HL_STORE_CHECK(check_article_fields(n.title, n.body, n.category, n.tags, owner, n.review_at));
  const TimeMs now = options_.clock();
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  Article a;
  a.title = n.title;
  a.body = n.body;
  a.category = n.category;
  a.tags = n.tags;
  a.owner = owner;
  a.review_at = n.review_at;
  a.version = 1;
  a.created_at = a.updated_at = now;
  a.updated_by = actor.id;
  HL_STORE_CHECK(storage_.knowledge().put_article(a));
  HL_STORE_CHECK(storage_.knowledge().add_version(snapshot(a, now, actor.id, {"created"})));
  HL_STORE_CHECK(write.commit());
  mark_stale(a);
  return a;
}

// Loads the article, lets `edit` change it and name the changed fields,
// stores it with a new version.
template <typename Edit>
Result<Article> KnowledgeService::edit(const Actor& actor, ArticleId id, Edit&& edit) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(a, storage_.knowledge().get_article(id));
  std::vector<std::string> changed;
  HL_STORE_CHECK(edit(a, changed));
  if (changed.empty()) {
    mark_stale(a);
    return std::move(a);
  }
  ++a.version;
  a.updated_at = now;
  a.updated_by = actor.id;
  HL_STORE_CHECK(storage_.knowledge().put_article(a));
  HL_STORE_CHECK(storage_.knowledge().add_version(snapshot(a, now, actor.id, changed)));
  if (std::find(changed.begin(), changed.end(), "status") != changed.end()) {
    AuditRecord r;
    r.at = now;
    r.actor = actor.id;
    r.role = role_name(actor.role);
    r.action = a.status == ArticleStatus::kPublished ? "publish" : "archive";
    r.entity = "article";
    r.entity_id = a.id;
    r.detail = fmt::format("version {}: {}", a.version, excerpt(a.title, 120));
    HL_STORE_CHECK(storage_.audit().append(r));
  }
  HL_STORE_CHECK(write.commit());
  mark_stale(a);
  return std::move(a);
}

Result<Article> KnowledgeService::update_article(const Actor& actor, ArticleId id,
                                                 const ArticleUpdate& u) {
  HL_STORE_CHECK(require_editor(actor, "edit articles"));
  return edit(actor, id, [&](Article& a, std::vector<std::string>& changed) -> Status {
    Article next = a;
    if (u.title) next.title = *u.title;
    if (u.body) next.body = *u.body;
    if (u.category) next.category = *u.category;
    if (u.tags) next.tags = *u.tags;
    if (u.owner) next.owner = *u.owner;
    if (u.review_at) next.review_at = *u.review_at;
    HL_STORE_CHECK(check_article_fields(next.title, next.body, next.category, next.tags,
                                        next.owner, next.review_at));
    if (next.title != a.title) changed.push_back("title");
    if (next.body != a.body) changed.push_back("body");
    if (next.category != a.category) changed.push_back("category");
    if (next.tags != a.tags) changed.push_back("tags");
    if (next.owner != a.owner) changed.push_back("owner");
    if (next.review_at != a.review_at) changed.push_back("review_at");
    a = std::move(next);
    return {};
  });
}

Result<Article> KnowledgeService::publish(const Actor& actor, ArticleId id) {
  HL_STORE_CHECK(require_editor(actor, "publish articles"));
  return edit(actor, id, [&](Article& a, std::vector<std::string>& changed) -> Status {
    if (a.status == ArticleStatus::kPublished) {
      return make_error(Errc::kIllegalState,
                        fmt::format("article {} is already published", a.id));
    }
    a.status = ArticleStatus::kPublished;
    changed.push_back("status");
    return {};
  });
}

Result<Article> KnowledgeService::archive(const Actor& actor, ArticleId id) {
  HL_STORE_CHECK(require_editor(actor, "archive articles"));
  return edit(actor, id, [&](Article& a, std::vector<std::string>& changed) -> Status {
    if (a.status == ArticleStatus::kArchived) {
      return make_error(Errc::kIllegalState, fmt::format("article {} is already archived", a.id));
    }
    a.status = ArticleStatus::kArchived;
    changed.push_back("status");
    return {};
  });
}

// An article the actor may read: agents see published ones only, and the
// others do not exist for them.
Result<Article> KnowledgeService::readable(const Actor& actor, ArticleId id) {
  HL_STORE_TRY(a, storage_.knowledge().get_article(id));
  if (!is_editor(actor) && a.status != ArticleStatus::kPublished) return article_not_found(id);
  mark_stale(a);
  return std::move(a);
}

Result<Article> KnowledgeService::get_article(const Actor& actor, ArticleId id) {
  HL_STORE_CHECK(check_actor(actor));
  return readable(actor, id);
}

Result<std::vector<Article>> KnowledgeService::list_articles(const Actor& actor,
                                                             const ArticleQuery& q) {
  HL_STORE_CHECK(check_actor(actor));
  if (q.category) HL_STORE_CHECK(check_text("category", *q.category));
  if (q.tag) HL_STORE_CHECK(check_text("tag", *q.tag));
  if (!is_editor(actor) && q.status && *q.status != ArticleStatus::kPublished) {
    return make_error(Errc::kPermission,
                      fmt::format("{} may list published articles only", excerpt(actor.id)));
  }
  HL_STORE_TRY(all, storage_.knowledge().articles());
  std::vector<Article> out;
  for (Article& a : all) {
    if (static_cast<int>(out.size()) >= q.limit) break;
    if (!is_editor(actor) && a.status != ArticleStatus::kPublished) continue;
    if (q.status && a.status != *q.status) continue;
    if (q.category && !within(a.category, *q.category)) continue;
    if (q.tag && std::find(a.tags.begin(), a.tags.end(), *q.tag) == a.tags.end()) continue;
    mark_stale(a);
    if (q.stale_only && !a.stale) continue;
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<ArticleVersion>> KnowledgeService::history(const Actor& actor, ArticleId id) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(readable(actor, id));
  return storage_.knowledge().versions(id);
}

Result<ArticleVersion> KnowledgeService::version(const Actor& actor, ArticleId id, int number) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_TRY(a, readable(actor, id));
  HL_STORE_TRY(all, storage_.knowledge().versions(id));
  for (ArticleVersion& v : all) {
    if (v.version == number) return std::move(v);
  }
  return make_error(Errc::kNotFound, fmt::format("article {} has versions 1 to {}, not {}", id,
                                                 a.version, number));
}

Result<std::vector<Article>> KnowledgeService::search(const Actor& actor, std::string_view text,
                                                      int limit) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("search text", text, options_.limits.query));
  if (limit <= 0) return std::vector<Article>{};
  HL_STORE_TRY(words, wanted_words(text));
  std::vector<std::pair<double, Article>> ranked;
  if (!words.empty()) {
    HL_STORE_TRY(ids, storage_.knowledge().search_articles(text, kSearchCandidates));
    for (ArticleId id : ids) {
      HL_STORE_TRY(a, storage_.knowledge().get_article(id));
      if (!is_editor(actor) && a.status != ArticleStatus::kPublished) continue;
      if (a.status == ArticleStatus::kArchived) continue;
      HL_STORE_TRY(m, article_match(*article_words_, words, a));
      mark_stale(a);
      ranked.emplace_back(m.points + usage_points(a), std::move(a));
    }
  }
  // Equal scores keep the backend's order: BM25, then recency.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<Article> out;
  for (auto& [points, a] : ranked) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(a));
  }
  if (out.empty() && !words.empty()) {
    KnowledgeWrite write(storage_, writing_together_);
    HL_STORE_CHECK(write.begin());
    SearchMiss miss{0, options_.clock(), actor.id, std::string(text)};
    HL_STORE_CHECK(storage_.knowledge().add_search_miss(miss));
    HL_STORE_CHECK(write.commit());
  }
  return out;
}

Result<Article> KnowledgeService::record_use(const Actor& actor, ArticleId id, ArticleUse use) {
  HL_STORE_CHECK(check_actor(actor));
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(a, storage_.knowledge().get_article(id));
  if (a.status != ArticleStatus::kPublished) {
    if (!is_editor(actor)) return article_not_found(id);
    return make_error(Errc::kIllegalState,
                      fmt::format("article {} is {}; only published articles are used", id,
                                  article_status_name(a.status)));
  }
  ++a.used;
  if (use == ArticleUse::kHelped) ++a.helped;
  HL_STORE_CHECK(storage_.knowledge().put_article(a));
  HL_STORE_CHECK(write.commit());
  mark_stale(a);
  return std::move(a);
}

Result<std::vector<KnowledgeGap>> KnowledgeService::gaps(const Actor& actor, TimeMs from,
                                                         TimeMs to, int limit) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(require_editor(actor, "read the gaps report"));
  if (from > to) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("gaps: from ({}) is after to ({})", from, to));
  }
  HL_STORE_TRY(misses, storage_.knowledge().search_misses(from, to));
  std::map<std::string, KnowledgeGap> by_query;
  for (const SearchMiss& m : misses) {
    KnowledgeGap& g = by_query[m.query];
    if (g.count == 0) {
      g.query = m.query;
      g.first_at = m.at;
    }
    ++g.count;
    g.first_at = std::min(g.first_at, m.at);
    g.last_at = std::max(g.last_at, m.at);
  }
  std::vector<KnowledgeGap> out;
  for (auto& [query, gap] : by_query) out.push_back(std::move(gap));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.last_at > b.last_at;
  });
  if (out.size() > static_cast<std::size_t>(std::max(limit, 0))) {
    out.resize(static_cast<std::size_t>(std::max(limit, 0)));
  }
  return out;
}

// ---- scripts ----------------------------------------------------------------

Status KnowledgeService::check_script_fields(const Script& s) {
  const auto& lim = options_.limits;
  if (s.title.empty()) return make_error(Errc::kInvalidArgument, "title: a script needs a title");
  if (s.text.empty()) return make_error(Errc::kInvalidArgument, "text: a script needs a text");
  HL_STORE_CHECK(check_text("title", s.title, lim.title));
  HL_STORE_CHECK(check_text("text", s.text, lim.script_text));
  HL_STORE_CHECK(check_text("queue", s.queue, lim.name));
  HL_STORE_CHECK(check_text("category", s.category, lim.name * 4));
  HL_STORE_CHECK(check_text("ivr_path", s.ivr_path, lim.name * 4));
  HL_STORE_CHECK(check_text("shortcut", s.shortcut, lim.shortcut));
  if (!s.shortcut.empty()) {
    HL_STORE_TRY(all, storage_.knowledge().scripts());
    for (const Script& other : all) {
      if (other.id != s.id && other.shortcut == s.shortcut) {
        return make_error(Errc::kExists,
                          fmt::format("shortcut: '{}' is already the shortcut of script {}",
                                      excerpt(s.shortcut), other.id));
      }
    }
  }
  return {};
}

Result<Script> KnowledgeService::create_script(const Actor& actor, const NewScript& n) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(require_editor(actor, "create scripts"));
  const TimeMs now = options_.clock();
  Script s;
  s.title = n.title;
  s.text = n.text;
  s.queue = n.queue;
  s.category = n.category;
  s.ivr_path = n.ivr_path;
  s.shortcut = n.shortcut;
  s.created_at = s.updated_at = now;
  s.updated_by = actor.id;
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_CHECK(check_script_fields(s));
  HL_STORE_CHECK(storage_.knowledge().put_script(s));
  HL_STORE_CHECK(write.commit());
  return s;
}

Result<Script> KnowledgeService::update_script(const Actor& actor, ScriptId id,
                                               const ScriptUpdate& u) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(require_editor(actor, "edit scripts"));
  const TimeMs now = options_.clock();
  KnowledgeWrite write(storage_, writing_together_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(s, storage_.knowledge().get_script(id));
  if (u.title) s.title = *u.title;
  if (u.text) s.text = *u.text;
  if (u.queue) s.queue = *u.queue;
  if (u.category) s.category = *u.category;
  if (u.ivr_path) s.ivr_path = *u.ivr_path;
  if (u.shortcut) s.shortcut = *u.shortcut;
  s.updated_at = now;
  s.updated_by = actor.id;
  HL_STORE_CHECK(check_script_fields(s));
  HL_STORE_CHECK(storage_.knowledge().put_script(s));
  HL_STORE_CHECK(write.commit());
  return std::move(s);
}

Result<Script> KnowledgeService::get_script(ScriptId id) {
  return storage_.knowledge().get_script(id);
}

Result<std::vector<Script>> KnowledgeService::list_scripts(const ScriptQuery& q) {
  if (q.queue) HL_STORE_CHECK(check_text("queue", *q.queue));
  if (q.category) HL_STORE_CHECK(check_text("category", *q.category));
  if (q.ivr_path) HL_STORE_CHECK(check_text("ivr_path", *q.ivr_path));
  HL_STORE_TRY(all, storage_.knowledge().scripts());
  std::vector<Script> out;
  for (Script& s : all) {
    if (q.quick_replies_only && s.shortcut.empty()) continue;
    if (q.queue && !s.queue.empty() && s.queue != *q.queue) continue;
    if (q.category && !s.category.empty() && !within(*q.category, s.category)) continue;
    if (q.ivr_path && !s.ivr_path.empty() && !within(*q.ivr_path, s.ivr_path)) continue;
    out.push_back(std::move(s));
  }
  return out;
}

Result<Script> KnowledgeService::quick_reply(std::string_view shortcut) {
  HL_STORE_CHECK(check_text("shortcut", shortcut));
  HL_STORE_TRY(all, storage_.knowledge().scripts());
  for (Script& s : all) {
    if (!shortcut.empty() && s.shortcut == shortcut) return std::move(s);
  }
  return make_error(Errc::kNotFound,
                    fmt::format("no quick reply with shortcut '{}'", excerpt(shortcut)));
}

Result<RenderedScript> KnowledgeService::render_script(ScriptId id,
                                                       const nlohmann::json& context) {
  if (!context.is_object()) {
    return make_error(Errc::kInvalidArgument, "context: expected an object");
  }
  HL_STORE_TRY(s, storage_.knowledge().get_script(id));
  return render_placeholders(s.text, context);
}

// ---- suggestions ------------------------------------------------------------

Result<std::vector<Suggestion>> KnowledgeService::suggest(const Actor& actor,
                                                          const SuggestionRequest& r) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("queue", r.queue, options_.limits.name));
  HL_STORE_CHECK(check_text("ivr_path", r.ivr_path, options_.limits.name * 4));
  HL_STORE_CHECK(check_text("category", r.category, options_.limits.name * 4));
  HL_STORE_CHECK(check_text("subject", r.subject, options_.limits.query));
  HL_STORE_TRY(words, wanted_words(r.subject));
  std::vector<Suggestion> out;
  auto words_reason = [](const TextMatch& m) {
    return fmt::format("words: {}", fmt::join(m.words, " "));
  };

  HL_STORE_TRY(articles, storage_.knowledge().articles());
  std::unordered_set<std::int64_t> article_ids;
  for (const Article& a : articles) {
    article_ids.insert(a.id);
    if (a.status != ArticleStatus::kPublished) continue;
    Suggestion s{Suggestion::Kind::kArticle, a.id, a.title, 0, {}};
    if (!r.category.empty() && a.category == r.category) {
      s.score += 4;
      s.reasons.push_back("category");
    } else if (!r.category.empty() && !a.category.empty() &&
               (within(a.category, r.category) || within(r.category, a.category))) {
      s.score += 2;
      s.reasons.push_back("related category");
    }
    HL_STORE_TRY(m, article_match(*article_words_, words, a));
    if (m.points > 0) {
      s.score += m.points;
      s.reasons.push_back(words_reason(m));
    }
    if (s.score <= 0) continue;  // usage alone does not make an article relevant
    if (a.used > 0 || a.helped > 0) {
      s.score += usage_points(a);
      s.reasons.push_back(fmt::format("used {}, helped {}", a.used, a.helped));
    }
    out.push_back(std::move(s));
  }

  // Every article was read: the words of those gone since go too.
  article_words_->keep_only(article_ids);

  HL_STORE_TRY(scripts, storage_.knowledge().scripts());
  std::unordered_set<std::int64_t> script_ids;
  for (const Script& sc : scripts) script_ids.insert(sc.id);
  script_words_->keep_only(script_ids);
  for (const Script& sc : scripts) {
    Suggestion s{Suggestion::Kind::kScript, sc.id, sc.title, 0, {}};
    // A script bound to another queue, path or category does not apply.
    if (!sc.queue.empty() && sc.queue != r.queue) continue;
    if (!sc.ivr_path.empty() && !within(r.ivr_path, sc.ivr_path)) continue;
    if (!sc.category.empty() && !within(r.category, sc.category)) continue;
    if (!sc.queue.empty()) {
      s.score += 4;
      s.reasons.push_back("queue");
    }
    if (!sc.ivr_path.empty()) {
      s.score += sc.ivr_path == r.ivr_path ? 4 : 2;
      s.reasons.push_back(sc.ivr_path == r.ivr_path ? "ivr_path" : "ivr_path prefix");
    }
    if (!sc.category.empty()) {
      s.score += sc.category == r.category ? 4 : 2;
      s.reasons.push_back(sc.category == r.category ? "category" : "related category");
    }
    HL_STORE_TRY(m, text_match(*script_words_, words, sc.id, sc.title, sc.text));
    if (m.points > 0) {
      s.score += m.points;
      s.reasons.push_back(words_reason(m));
    }
    if (s.score <= 0) continue;
    out.push_back(std::move(s));
  }

  std::stable_sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.kind != b.kind) return a.kind == Suggestion::Kind::kScript;  // say it, then read on
    return a.id < b.id;
  });
  if (out.size() > static_cast<std::size_t>(std::max(r.limit, 0))) {
    out.resize(static_cast<std::size_t>(std::max(r.limit, 0)));
  }
  return out;
}

}  // namespace hotline::store
