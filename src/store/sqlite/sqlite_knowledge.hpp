// The knowledge base in SQLite: tables from schema migration 2, FTS5 for
// article text with the ticket index's tokenizer.
#pragma once

#include <memory>

#include "database.hpp"
#include "hotline/store/knowledge_store.hpp"

namespace hotline::store::sqlite {

// Over `db` (not owned); transactions are the owning storage's.
std::unique_ptr<KnowledgeStore> open_knowledge(Database& db);

}  // namespace hotline::store::sqlite
