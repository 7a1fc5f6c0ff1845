// Value <-> JSON through rdk::json (sdk/include/rdk/json.hpp), the one JSON reader and writer
// of the kernel and the plugins. What is particular to Value: the "$bytes" convention for
// strings that are not UTF-8, and dict keys that are not strings.
#include "rdk/json.hpp"
#include "base64.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {
namespace {

void appendJson(const Value& v, std::string& out) {
  switch (v.type()) {
    case Value::Type::None:
      out += "null";
      return;
    case Value::Type::Bool:
      out += v.asBool() ? "true" : "false";
      return;
    case Value::Type::Int:
      json::writeNumber(out, v.asInt());
      return;
    case Value::Type::Float:
      // The shortest text that reads back as the same double (5.002153, not %.17g's
      // 5.0021529999999998).
      json::writeNumber(out, v.asFloat());
      return;
    case Value::Type::Bytes:
      if (json::isValidUtf8(v.asBytes())) {
        json::writeString(out, v.asBytes());
      } else {
        out += "{\"$bytes\":\"" + base64Encode(v.asBytes()) + "\"}";
      }
      return;
    case Value::Type::List: {
      out += '[';
      bool first = true;
      for (const auto& item : v.asList()) {
        if (!first)
          out += ',';
        first = false;
        appendJson(item, out);
      }
      out += ']';
      return;
    }
    case Value::Type::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.asDict()) {
        if (!first)
          out += ',';
        first = false;
        if (k.isBytes()) {
          json::writeString(out, k.asBytes());
        } else if (k.type() == Value::Type::List || k.type() == Value::Type::Dict) {
          // A container key (rencode allows them) as its bounded debug form: its full JSON,
          // escaped once per level of keys inside keys, grows exponentially (a 41 kB packet made
          // 250 MB in the fuzzer).
          json::writeString(out, k.debugString());
        } else {
          json::writeString(out, k.toJson());
        }
        out += ':';
        appendJson(item, out);
      }
      out += '}';
      return;
    }
  }
}

Value fromDocument(json::Value&& doc) {
  switch (doc.type()) {
    case json::Value::Type::Null:
      return Value();
    case json::Value::Type::Boolean:
      return Value(doc.asBool());
    case json::Value::Type::Int:
      return Value(static_cast<long long>(doc.asInt()));
    case json::Value::Type::Float:
      return Value(doc.asDouble());
    case json::Value::Type::String:
      return Value(std::move(doc.asString()));
    case json::Value::Type::Array: {
      Value::List list;
      list.reserve(doc.asArray().size());
      for (json::Value& item : doc.asArray())
        list.push_back(fromDocument(std::move(item)));
      return Value(std::move(list));
    }
    case json::Value::Type::Object: {
      json::Value::Object& members = doc.asObject();
      // {"$bytes": "..."} is how toJson() writes binary strings. A peer's own dict with that one
      // key and text that is not base64 stays a dict: what toJson() wrote must always read back.
      if (members.size() == 1 && members[0].first == "$bytes" && members[0].second.isString()) {
        try {
          return Value(base64Decode(members[0].second.asString()));
        } catch (const ProtocolError&) {
        }
      }
      Value::Dict dict;
      dict.reserve(members.size());
      for (auto& [key, item] : members)
        dict.emplace_back(Value(std::move(key)), fromDocument(std::move(item)));
      return Value(std::move(dict));
    }
  }
  return Value();
}

}  // namespace

std::string Value::toJson() const {
  std::string out;
  appendJson(*this, out);
  return out;
}

Value Value::fromJson(std::string_view json) {
  try {
    return fromDocument(json::Value::parse(json));
  } catch (const json::ParseError& e) {
    throw ProtocolError(e.what());
  }
}

}  // namespace rdk::protocol
