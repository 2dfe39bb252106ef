// What an agent's token may see of a customer: the store masks the ID and
// card numbers for an agent itself; the server also masks the contact
// details an agent does not need in clear to serve the caller (phone numbers
// keep their last four digits, e-mail addresses their domain, free-form
// attributes nothing, IVR digits their last four characters), wherever a
// customer reaches an agent: the customer routes, the 360° view's contacts
// and the screen pop on the event stream.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hotline::ops {

// "+15550100123" → "*******0123": every digit but the last four is a '*';
// the separators, the leading '+' dropped, go too, so the length of the
// number's grouping tells nothing.
std::string mask_phone(std::string_view phone);
// "ann@example.com" → "***@example.com"; text without an '@' is all masked.
std::string mask_email(std::string_view email);
// "****1234", the last four characters (not bytes) kept; the store's rule,
// for an ID or card number that reaches the server in clear.
std::string mask_identifier(std::string_view value);

// Masks in place the sensitive fields of a customer as the store's JSON
// form gives it (to_json(Customer)): phones, emails, national_id,
// payment_info, and every value of the free-form `attributes` ("****", the
// keys kept). Fields that are absent or not of the expected type are left.
void mask_customer(nlohmann::json& customer);
// The same for a 360° view (customer, and each contact's ani).
void mask_customer_view(nlohmann::json& view);
// A ring's screen pop (docs/call-control.md): its customer, its caller, and
// each of its IVR `digits` as an identifier (the last four characters kept).
void mask_screen_pop(nlohmann::json& pop);

}  // namespace hotline::ops
