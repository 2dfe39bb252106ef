// The knowledge-base rules, once, over any Storage: who may read and write,
// versions with history, the stale flag, scripts with placeholders, search
// with its gaps report, usage counts, and suggestions for a live contact.
//
// Agents read published articles (others are not found for them) and every
// script; editors (supervisor and admin roles) write. Publishing and
// archiving an article are written to the audit log.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/store/actor.hpp"
#include "hotline/store/knowledge.hpp"
#include "hotline/store/storage.hpp"

namespace hotline::store {

class TextWordsMemo;

// Field limits; longer input is refused, not cut.
struct KnowledgeLimits {
  std::size_t title = 200;
  std::size_t body = 256 * 1024;
  std::size_t script_text = 16 * 1024;
  std::size_t name = 128;  // a category name, tag, owner, queue, IVR path
  std::size_t shortcut = 32;
  std::size_t tags = 32;  // tags per article
  std::size_t category_depth = 8;
  std::size_t query = 512;
};

class KnowledgeService {
 public:
  struct Options {
    KnowledgeLimits limits;
    std::function<TimeMs()> clock;  // required: the time of each operation
  };

  KnowledgeService(Storage& storage, Options options);
  ~KnowledgeService();
  KnowledgeService(const KnowledgeService&) = delete;
  KnowledgeService& operator=(const KnowledgeService&) = delete;

  // "cards/lost": the parent ("cards") must exist already.
  Result<Category> create_category(const Actor& actor, std::string_view path);
  Result<std::vector<Category>> categories();

  // A new article is a draft at version 1.
  Result<Article> create_article(const Actor& actor, const NewArticle& article);
  Result<Article> update_article(const Actor& actor, ArticleId id, const ArticleUpdate& update);
  Result<Article> publish(const Actor& actor, ArticleId id);
  Result<Article> archive(const Actor& actor, ArticleId id);
  Result<Article> get_article(const Actor& actor, ArticleId id);
  Result<std::vector<Article>> list_articles(const Actor& actor, const ArticleQuery& query);
  Result<std::vector<ArticleVersion>> history(const Actor& actor, ArticleId id);
  Result<ArticleVersion> version(const Actor& actor, ArticleId id, int version);

  // Articles holding every word of `text`, best match first (see score in
  // docs/knowledge.md). A search that finds nothing is kept for gaps().
  Result<std::vector<Article>> search(const Actor& actor, std::string_view text, int limit = 20);
  // Counts a use of a published article; "helped" counts it as well.
  Result<Article> record_use(const Actor& actor, ArticleId id, ArticleUse use);
  // Searches that found nothing in [from, to), grouped by query text, the
  // most frequent first.
  Result<std::vector<KnowledgeGap>> gaps(const Actor& actor, TimeMs from, TimeMs to,
                                         int limit = 50);

  Result<Script> create_script(const Actor& actor, const NewScript& script);
  Result<Script> update_script(const Actor& actor, ScriptId id, const ScriptUpdate& update);
  Result<Script> get_script(ScriptId id);
  Result<std::vector<Script>> list_scripts(const ScriptQuery& query);
  Result<Script> quick_reply(std::string_view shortcut);
  // The script's text with its placeholders filled from `context`.
  Result<RenderedScript> render_script(ScriptId id, const nlohmann::json& context);

  // Published articles and scripts for a live contact, best first.
  Result<std::vector<Suggestion>> suggest(const Actor& actor, const SuggestionRequest& request);

  // Runs `writes`, calls of this service, in one transaction: when it
  // returns an error (or throws), none of their changes is kept. A call that
  // fails inside does not undo its own part until then, so `writes` returns
  // the first error it gets. Not re-entrant (kIllegalState).
  Status write_together(const std::function<Status()>& writes);

  const Options& options() const noexcept { return options_; }

 private:
  template <typename Edit>
  Result<Article> edit(const Actor& actor, ArticleId id, Edit&& edit);
  Status check_article_fields(const std::string& title, const std::string& body,
                              const std::string& category, const std::vector<std::string>& tags,
                              const std::string& owner, TimeMs review_at);
  Status check_script_fields(const Script& script);
  Result<Article> readable(const Actor& actor, ArticleId id);
  void mark_stale(Article& article) const;

  Storage& storage_;
  Options options_;
  bool writing_together_ = false;  // calls join write_together()'s transaction
  // The words of articles' and scripts' texts, tokenized once per text for
  // search and suggest (text_words_memo.hpp); not a cache of the records.
  std::unique_ptr<TextWordsMemo> article_words_;
  std::unique_ptr<TextWordsMemo> script_words_;
};

}  // namespace hotline::store
