// Typed C events (hl_event, hl_contact) read into the core's Event through
// the one event table, every field checked (NULL, range, UTF-8) and named
// as the caller wrote it, before anything changes.
#pragma once

#include "hotline/contact.h"
#include "hotline/engine.h"
#include "hotline/engine/event.hpp"
#include "hotline/event.h"
#include "hotline/util/result.hpp"

namespace hotline::capi {

Result<engine::Event> event_from_c(const hl_event* event);

// Applies a decoded event on the engine's thread and hands on its outputs.
hl_status apply_event(hl_engine* handle, const engine::Event& event, std::int64_t now,
                      hl_error** err);
hl_status apply_event(hl_engine* handle, const hl_event* event, std::int64_t now,
                      hl_error** err);

}  // namespace hotline::capi
