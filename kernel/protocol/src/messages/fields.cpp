#include "fields.h"

namespace rdk::protocol::detail {

Fields::Fields(const Packet& packet, std::string_view type, size_t minArgs)
    : packet_(packet), type_(type) {
  if (packet.empty() || !packet[0].isBytes() || packet[0].asBytes() != type) {
    throw ProtocolError(std::string(type) + ": not a '" + std::string(type) + "' packet" +
                        (packet.empty() ? "" : ": " + packet[0].debugString(40)));
  }
  if (packet.size() - 1 < minArgs) {
    throw ProtocolError(std::string(type) + ": expected at least " + std::to_string(minArgs) +
                        " arguments, got " + std::to_string(packet.size() - 1));
  }
}

void Fields::fail(size_t index, const char* name, const std::string& what) const {
  throw ProtocolError(std::string(type_) + ": field '" + name + "' (" + std::to_string(index) +
                      "): " + what);
}

const Value& Fields::any(size_t index, const char* name) const {
  if (!has(index))
    fail(index, name, "missing");
  return packet_[index];
}

int64_t Fields::integer(size_t index, const char* name) const {
  try {
    return any(index, name).asInt();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

bool Fields::boolean(size_t index, const char* name) const {
  try {
    return any(index, name).asBool();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

double Fields::number(size_t index, const char* name) const {
  try {
    return any(index, name).asFloat();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

const std::string& Fields::bytes(size_t index, const char* name) const {
  try {
    return any(index, name).asBytes();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

const Value::List& Fields::list(size_t index, const char* name) const {
  try {
    return any(index, name).asList();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

const Value::Dict& Fields::dict(size_t index, const char* name) const {
  try {
    return any(index, name).asDict();
  } catch (const ProtocolError& e) {
    if (!has(index))
      throw;
    fail(index, name, e.what());
  }
}

Value::Dict Fields::dictOrEmpty(size_t index, const char* name) const {
  const Value& v = any(index, name);
  if (v.isBytes() && v.asBytes().empty())
    return {};
  if (v.isNone())
    return {};
  return dict(index, name);
}

std::vector<std::string> Fields::strings(size_t index, const char* name) const {
  std::vector<std::string> out;
  for (const auto& item : list(index, name)) {
    if (!item.isBytes())
      fail(index, name,
           "list item: expected bytes, got " + std::string(Value::typeName(item.type())));
    out.push_back(item.asBytes());
  }
  return out;
}

std::vector<int64_t> Fields::integers(size_t index, const char* name) const {
  std::vector<int64_t> out;
  for (const auto& item : list(index, name)) {
    if (!item.isInt() && !item.isBool()) {
      fail(index, name,
           "list item: expected int, got " + std::string(Value::typeName(item.type())));
    }
    out.push_back(item.asInt());
  }
  return out;
}

std::optional<int64_t> Fields::optInteger(size_t index, const char* name) const {
  if (!has(index))
    return std::nullopt;
  return integer(index, name);
}

std::optional<bool> Fields::optBoolean(size_t index, const char* name) const {
  if (!has(index))
    return std::nullopt;
  return boolean(index, name);
}

std::optional<std::string> Fields::optBytes(size_t index, const char* name) const {
  if (!has(index))
    return std::nullopt;
  return bytes(index, name);
}

std::optional<Value::Dict> Fields::optDict(size_t index, const char* name) const {
  if (!has(index))
    return std::nullopt;
  return dictOrEmpty(index, name);
}

Value::List Fields::rest(size_t index) const {
  if (index >= packet_.size())
    return {};
  return Value::List(packet_.begin() + static_cast<std::ptrdiff_t>(index), packet_.end());
}

Value stringList(const std::vector<std::string>& items) {
  Value::List out;
  out.reserve(items.size());
  for (const auto& s : items)
    out.emplace_back(s);
  return Value(std::move(out));
}

Value intList(const std::vector<int64_t>& items) {
  Value::List out;
  out.reserve(items.size());
  for (int64_t i : items)
    out.emplace_back(i);
  return Value(std::move(out));
}

}  // namespace rdk::protocol::detail
