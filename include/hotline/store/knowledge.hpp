// The knowledge base (知识库) as records: articles with their versions, the
// category tree, standard scripts (标准话术) and quick replies, and the
// searches that found nothing. The rules that act on them live in
// KnowledgeService; the records are what a KnowledgeStore keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/store/ticket.hpp"
#include "hotline/util/time.hpp"

namespace hotline::store {

using ArticleId = std::int64_t;
using CategoryId = std::int64_t;
using ScriptId = std::int64_t;

enum class ArticleStatus { kDraft, kPublished, kArchived };
const char* article_status_name(ArticleStatus s) noexcept;
bool parse_article_status(std::string_view name, ArticleStatus& out) noexcept;

// A node of the category tree; `path` joins the names from the root with
// '/', as in "cards/lost".
struct Category {
  CategoryId id = 0;
  CategoryId parent = 0;  // 0: a top-level category
  std::string name;
  std::string path;
  TimeMs created_at = 0;
  std::string created_by;
};

struct Article {
  ArticleId id = 0;
  std::string title;
  std::string body;      // Markdown, kept as written
  std::string category;  // a category path; empty for none
  std::vector<std::string> tags;
  ArticleStatus status = ArticleStatus::kDraft;
  std::string owner;            // who keeps it up to date
  TimeMs review_at = kNoTime;   // due for review; past it the article is stale
  int version = 0;              // the latest version's number, from 1
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::string updated_by;
  std::int64_t used = 0;    // times an agent used it on a contact
  std::int64_t helped = 0;  // times it answered the customer's question
  bool stale = false;       // set on every read from review_at; never stored
};

// One version of an article as it was after a change: who, when, which
// fields changed, and the whole content at that point.
struct ArticleVersion {
  ArticleId article = 0;
  int version = 0;
  TimeMs at = 0;
  std::string actor;
  std::vector<std::string> changed;  // field names; "created" for version 1
  std::string title;
  std::string body;
  std::string category;
  std::vector<std::string> tags;
  ArticleStatus status = ArticleStatus::kDraft;
  std::string owner;
  TimeMs review_at = kNoTime;
};

struct NewArticle {
  std::string title;
  std::string body;
  std::string category;
  std::vector<std::string> tags;
  std::string owner;  // empty: the creator
  TimeMs review_at = kNoTime;
};

// Field edits; an empty optional leaves the field as it is. A review_at of
// kNoTime removes the review date.
struct ArticleUpdate {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> category;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> owner;
  std::optional<TimeMs> review_at;
};

struct ArticleQuery {
  std::optional<ArticleStatus> status;
  std::optional<std::string> category;  // this category and everything under it
  std::optional<std::string> tag;
  bool stale_only = false;
  int limit = 100;  // by id
};

// A standard script (标准话术) for a queue, a ticket category or an IVR path,
// or a quick reply for chat when it has a shortcut. The text carries
// placeholders such as ${customer.name}, filled from the contact.
struct Script {
  ScriptId id = 0;
  std::string title;
  std::string text;
  std::string queue;     // empty: any queue
  std::string category;  // a ticket or article category; empty: any
  std::string ivr_path;  // as the IVR reports it, e.g. "main/cards/lost"; empty: any
  std::string shortcut;  // a quick reply's key, e.g. "/greet"; empty: not a quick reply
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::string updated_by;
};

struct NewScript {
  std::string title;
  std::string text;
  std::string queue;
  std::string category;
  std::string ivr_path;
  std::string shortcut;
};

struct ScriptUpdate {
  std::optional<std::string> title;
  std::optional<std::string> text;
  std::optional<std::string> queue;
  std::optional<std::string> category;
  std::optional<std::string> ivr_path;
  std::optional<std::string> shortcut;
};

// Scripts that apply: an empty field of a script matches any value.
struct ScriptQuery {
  std::optional<std::string> queue;
  std::optional<std::string> category;
  std::optional<std::string> ivr_path;
  bool quick_replies_only = false;
};

// A search that found nothing: the raw material of the gaps report.
struct SearchMiss {
  std::int64_t id = 0;
  TimeMs at = 0;
  std::string actor;
  std::string query;
};

struct KnowledgeGap {
  std::string query;
  std::int64_t count = 0;
  TimeMs first_at = 0;
  TimeMs last_at = 0;
};

enum class ArticleUse { kUsed, kHelped };

// What is known about a live contact when asking for suggestions.
struct SuggestionRequest {
  std::string queue;
  std::string ivr_path;
  std::string category;
  std::string subject;  // the ticket's subject or the caller's words
  int limit = 10;
};

struct Suggestion {
  enum class Kind { kArticle, kScript };
  Kind kind = Kind::kArticle;
  std::int64_t id = 0;
  std::string title;
  double score = 0;
  std::vector<std::string> reasons;  // what earned the score, e.g. "queue", "words: lost card"
};

// A script with its placeholders filled: the placeholders the context did not
// have stay in the text as written and are listed in `missing`.
struct RenderedScript {
  std::string text;
  std::vector<std::string> missing;
};

}  // namespace hotline::store
