// ClipboardData (what the local side holds) <-> Xpra's wire form (dtype, dformat, encoding,
// data): text and images as "bytes", TARGETS as "atoms" (a list of names).
#pragma once

#include <optional>
#include <string>

#include "rdk/clipboard/local_clipboard.h"
#include "rdk/protocol/messages/clipboard.h"

namespace rdk::clipboard {

protocol::ClipboardWireData toWire(const ClipboardData& data);
// nullopt with |error| set for what we do not carry ("integers", a list of non-strings...).
std::optional<ClipboardData> fromWire(const protocol::ClipboardWireData& wire, std::string* error);
// Bytes the contents occupy once converted (what clipboard.max-size limits).
size_t wireSize(const protocol::ClipboardWireData& wire);

}  // namespace rdk::clipboard
