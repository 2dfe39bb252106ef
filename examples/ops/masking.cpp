#include "masking.hpp"

#include "hotline/store/customer_service.hpp"

namespace hotline::ops {

using nlohmann::json;

namespace {

const char* const kHiddenAttribute = "****";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void mask_strings(json& list, std::string (*mask)(std::string_view)) {
  if (!list.is_array()) return;
  for (json& item : list) {
    if (item.is_string()) item = mask(item.get_ref<const std::string&>());
  }
}

void mask_string(json& object, const char* key, std::string (*mask)(std::string_view)) {
  auto found = object.find(key);
  if (found != object.end() && found->is_string()) {
    *found = mask(found->get_ref<const std::string&>());
  }
}

}  // namespace

std::string mask_phone(std::string_view phone) {
  std::size_t digits = 0;
  for (char c : phone) digits += is_digit(c) ? 1 : 0;
  std::string out;
  std::size_t seen = 0;
  for (char c : phone) {
    if (!is_digit(c)) continue;
    ++seen;
    out += seen + 4 > digits ? c : '*';
  }
  // Text without digits (an "anonymous" caller) says nothing to hide.
  return digits == 0 ? std::string(phone) : out;
}

std::string mask_email(std::string_view email) {
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos) return email.empty() ? std::string() : "***";
  return "***" + std::string(email.substr(at));
}

std::string mask_identifier(std::string_view value) {
  // The store masks these already for an agent's read: masked once, not twice.
  if (value.substr(0, 4) == "****") return std::string(value);
  return store::mask_sensitive(value);
}

void mask_customer(json& customer) {
  if (!customer.is_object()) return;
  if (auto phones = customer.find("phones"); phones != customer.end()) {
    mask_strings(*phones, mask_phone);
  }
  if (auto emails = customer.find("emails"); emails != customer.end()) {
    mask_strings(*emails, mask_email);
  }
  mask_string(customer, "phone", mask_phone);
  mask_string(customer, "email", mask_email);
  mask_string(customer, "national_id", mask_identifier);
  mask_string(customer, "payment_info", mask_identifier);
  // Free-form attributes may hold anything an import or an editor put there (a card's
  // expiry, a health note): which of them an agent needs is not known here, so the keys
  // stay, to say the field exists, and every value is hidden.
  if (auto attributes = customer.find("attributes");
      attributes != customer.end() && attributes->is_object()) {
    for (auto& [key, value] : attributes->items()) {
      (void)key;
      value = kHiddenAttribute;
    }
  }
}

void mask_customer_view(json& view) {
  if (!view.is_object()) return;
  if (auto customer = view.find("customer"); customer != view.end()) mask_customer(*customer);
  if (auto contacts = view.find("contacts"); contacts != view.end() && contacts->is_array()) {
    for (json& contact : *contacts) {
      if (contact.is_object()) mask_string(contact, "ani", mask_phone);
    }
  }
}

void mask_screen_pop(json& pop) {
  if (!pop.is_object()) return;
  if (auto customer = pop.find("customer"); customer != pop.end()) mask_customer(*customer);
  mask_string(pop, "caller", mask_phone);
  mask_string(pop, "ani", mask_phone);
  // What collect nodes gathered is often an account number or a PIN: masked as an
  // identifier, so the agent can still match the last four characters with the caller.
  if (auto digits = pop.find("digits"); digits != pop.end() && digits->is_object()) {
    for (auto& [variable, value] : digits->items()) {
      (void)variable;
      if (value.is_string()) {
        value = mask_identifier(value.get_ref<const std::string&>());
      } else {
        value = kHiddenAttribute;
      }
    }
  }
}

}  // namespace hotline::ops
