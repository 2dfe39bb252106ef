#include "refer_target.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hotline::sip {

TransferTarget classify_transfer_target(const std::string& user,
                                        const std::vector<std::string>& agents,
                                        const std::vector<std::string>& queues) {
  if (std::find(agents.begin(), agents.end(), user) != agents.end()) {
    return {TransferTarget::Kind::agent, user};
  }
  if (std::find(queues.begin(), queues.end(), user) != queues.end()) {
    return {TransferTarget::Kind::queue, user};
  }
  return {TransferTarget::Kind::number, user};
}

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<ReplacesDialog> replaces_of(const std::string& uri_headers) {
  // libre's uri_decode keeps the '?' that starts the headers.
  std::istringstream headers(uri_headers.rfind('?', 0) == 0 ? uri_headers.substr(1)
                                                              : uri_headers);
  std::string header;
  while (std::getline(headers, header, '&')) {
    const auto equals = header.find('=');
    if (equals == std::string::npos) continue;
    std::string name = header.substr(0, equals);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name != "replaces") continue;
    const std::string value = percent_decoded(header.substr(equals + 1));
    ReplacesDialog dialog;
    std::istringstream parts(value);
    std::string part;
    bool first = true;
    while (std::getline(parts, part, ';')) {
      auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t"));
        s.erase(s.find_last_not_of(" \t") + 1);
        return s;
      };
      part = trim(part);
      if (first) {
        dialog.call_id = part;
        first = false;
      } else if (part.rfind("to-tag=", 0) == 0) {
        dialog.to_tag = part.substr(7);
      } else if (part.rfind("from-tag=", 0) == 0) {
        dialog.from_tag = part.substr(9);
      }
    }
    if (dialog.call_id.empty() || dialog.to_tag.empty() || dialog.from_tag.empty()) {
      return std::nullopt;
    }
    return dialog;
  }
  return std::nullopt;
}

bool dialable_number(const std::string& number) {
  return !number.empty() && number.find_first_not_of("0123456789+*#") == std::string::npos;
}

}  // namespace hotline::sip
