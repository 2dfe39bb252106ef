// The knowledge base over a key-value store: articles, versions, categories,
// scripts and search misses as JSON records, every query answered by
// scanning. The host-storage backend keeps them in the host's store; the
// memory backend in its own map.
//
// Kinds: "kb_article", "kb_version", "kb_category", "kb_script", "kb_miss",
// "kb_counter" (id 0: the next knowledge record id).
#pragma once

#include <memory>

#include "hotline/store/key_value.hpp"
#include "hotline/store/knowledge_store.hpp"

namespace hotline::store {

// Records in `kv` (not owned; it must outlive the store). Transactions are
// the caller's: the storage that owns `kv` begins and commits them.
std::unique_ptr<KnowledgeStore> open_key_value_knowledge(KeyValueStore& kv);

}  // namespace hotline::store
