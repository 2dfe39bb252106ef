// Loads knowledge-base content from one JSON document, as the demo center's
// examples/center/knowledge/ ships it:
//
//   {"categories": ["cards", "cards/lost"],
//    "articles": [{"title", "body", "category", "tags", "owner", "review_at",
//                  "status": "draft" | "published"}],
//    "scripts": [{"title", "text", "queue", "category", "ivr_path", "shortcut"}]}
//
// The whole document is read before anything is written, so a JSON mistake
// anywhere (named by its JSON path) loads nothing. The items are then written
// by KnowledgeService in one transaction: a refusal there (a category or
// shortcut the store has already, an unknown category) is named by the
// item's path and loads nothing either. Meant for a store that does not have
// this content yet.
#pragma once

#include <nlohmann/json.hpp>

#include "hotline/store/knowledge_service.hpp"

namespace hotline::store {

struct KnowledgeLoadReport {
  int categories = 0;
  int articles = 0;
  int scripts = 0;
};

Result<KnowledgeLoadReport> load_knowledge(KnowledgeService& service, const Actor& actor,
                                           const nlohmann::json& document);

}  // namespace hotline::store
