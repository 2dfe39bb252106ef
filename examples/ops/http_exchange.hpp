// One HTTP request and its response as the API sees them, apart from the
// transport (libwebsockets) so the routes are tested without a socket.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hotline::ops {

struct HttpRequest {
  std::string method;  // GET, POST, ...
  std::string path;    // without the query string
  std::string authorization;  // the Authorization header; empty without one
  std::string body;
  // The query string's parameters, decoded, in the order given.
  std::vector<std::pair<std::string, std::string>> query;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

}  // namespace hotline::ops
