// Which flow or queue a dialled number (the INVITE's Request-URI user) leads
// to: the route naming it exactly, else the "*" route, else none (the host
// answers 404).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host_config.hpp"

namespace hotline::sip {

std::optional<Route> select_route(const std::vector<Route>& routes, const std::string& dialled);

}  // namespace hotline::sip
