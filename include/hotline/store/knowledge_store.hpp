// The record-level interface a backend implements for the knowledge base.
// Like TicketStore it keeps and finds records and nothing more; permissions,
// versions, staleness, ranking and audit live once, in KnowledgeService.
#pragma once

#include <string_view>
#include <vector>

#include "hotline/store/knowledge.hpp"
#include "hotline/util/result.hpp"

namespace hotline::store {

class KnowledgeStore {
 public:
  virtual ~KnowledgeStore() = default;

  virtual Status put_category(Category& category) = 0;  // id 0 inserts and assigns
  virtual Result<std::vector<Category>> categories() = 0;  // by path

  // id 0 inserts and assigns; otherwise replaces (kNotFound if absent). The
  // backend's text index follows title, body and tags.
  virtual Status put_article(Article& article) = 0;
  virtual Result<Article> get_article(ArticleId id) = 0;
  virtual Result<std::vector<Article>> articles() = 0;  // by id
  // Articles holding every phrase of `text` (search_query) in their title,
  // body or tags (tags_text), best first as search/ranking.hpp ranks them
  // (BM25, then recency), at most `limit`.
  virtual Result<std::vector<ArticleId>> search_articles(std::string_view text, int limit) = 0;

  virtual Status add_version(const ArticleVersion& version) = 0;
  virtual Result<std::vector<ArticleVersion>> versions(ArticleId article) = 0;  // oldest first

  virtual Status put_script(Script& script) = 0;  // id 0 inserts and assigns
  virtual Result<Script> get_script(ScriptId id) = 0;
  virtual Result<std::vector<Script>> scripts() = 0;  // by id

  virtual Status add_search_miss(SearchMiss& miss) = 0;  // assigns miss.id
  // Misses at `from` or later and before `to`, oldest first.
  virtual Result<std::vector<SearchMiss>> search_misses(TimeMs from, TimeMs to) = 0;
};

}  // namespace hotline::store
