#include "screen_pop.hpp"

#include <nlohmann/json.hpp>

namespace hotline::engine {

std::string screen_pop_json(const CallInfo& info, const ivr::Session* session,
                            std::string_view queue_id) {
  nlohmann::json pop = nlohmann::json::object();
  pop["caller"] = info.caller;
  pop["dialled"] = info.dialled;
  pop["queue_id"] = queue_id;
  // The call's attributes are the customer the host resolved (plus the ones
  // it added at arrival): what the IVR saw as customer.*.
  pop["customer"] = info.attributes.to_json();
  nlohmann::json path = nlohmann::json::array();
  nlohmann::json digits = nlohmann::json::object();
  if (session) {
    for (const std::string& node : session->path()) path.push_back(node);
    for (const auto& [variable, value] : session->entered_digits()) digits[variable] = value;
  }
  pop["ivr_path"] = std::move(path);
  pop["digits"] = std::move(digits);
  // Replaced, not failed, on text that is not UTF-8: a caller id is the
  // network's, and an offer must reach the agent whatever it holds.
  return pop.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hotline::engine
