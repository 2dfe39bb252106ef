// Text read off the wire before it reaches the engine, which takes UTF-8
// alone: a caller's number or a dialled number in other bytes is refused at
// the SIP layer with a 400 that says which, instead of a call the engine
// never hears of.
#pragma once

#include <string>

namespace hotline::sip {

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(const std::string& text);

}  // namespace hotline::sip
