#include "route_table.hpp"

namespace hotline::sip {

std::optional<Route> select_route(const std::vector<Route>& routes, const std::string& dialled) {
  const Route* fallback = nullptr;
  for (const Route& route : routes) {
    if (route.dialled == dialled) return route;
    if (route.dialled == "*") fallback = &route;
  }
  if (fallback) return *fallback;
  return std::nullopt;
}

}  // namespace hotline::sip
