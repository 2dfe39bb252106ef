#include <doctest/doctest.h>

#include "route_table.hpp"

using hotline::sip::Route;
using hotline::sip::select_route;

TEST_CASE("a dialled number takes its own route before the catch-all") {
  const std::vector<Route> routes = {
      {"*", "", "retail"}, {"1000", "bank", ""}, {"2000", "", "vip"}};
  CHECK(select_route(routes, "1000")->flow == "bank");
  CHECK(select_route(routes, "2000")->queue == "vip");
  CHECK(select_route(routes, "3000")->queue == "retail");
  CHECK(select_route(routes, "")->queue == "retail");
}

TEST_CASE("without a catch-all an unknown number has no route") {
  const std::vector<Route> routes = {{"1000", "bank", ""}};
  CHECK_FALSE(select_route(routes, "1001").has_value());
  CHECK_FALSE(select_route(routes, "100").has_value());
  CHECK_FALSE(select_route({}, "1000").has_value());
}
