// The customer and ticket routes (docs/ops-server.md, "Customers and
// tickets"): the store's own rules and JSON forms behind REST paths, with
// the sensitive fields masked for an agent's token (masking.hpp). Without a
// store every one of them answers 503.
#pragma once

#include <optional>
#include <string_view>

#include "access_table.hpp"
#include "http_exchange.hpp"
#include "ops_store.hpp"

namespace hotline::ops {

// Whether `path` is one of the store's routes (/api/v1/customers...,
// /api/v1/tickets...).
bool is_store_route(std::string_view path);

// Answers a request to a store route for `who` (already authenticated);
// `store` null means the server runs without one.
HttpResponse store_route(OpsStore* store, const Principal& who, const HttpRequest& request);

// The store's actor for a principal: the agent id (or, for a token without
// one, the role's name) and the role.
store::Actor actor_of(const Principal& who);

}  // namespace hotline::ops
