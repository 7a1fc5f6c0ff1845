// The one table of every configuration key rdkernel knows: its type, default and documentation.
// The parser, the getters, `--print-default-config` and config/rdkernel.conf all come from it.
#pragma once

#include <string>
#include <vector>

namespace rdk::config {

enum class ValueType {
  String,
  Int,      // decimal integer inside [minInt, maxInt]
  Bool,     // true/false, yes/no, on/off, 1/0
  Percent,  // decimal number 0..100
  List,     // comma-separated strings
  UrlList,  // comma-separated scheme://host[:port] URLs
  Enum,     // one of |choices| ("a|b|c")
  Size,     // WxH, both 1..16384
  AuthSpec  // module[:opt=val,...] (Xpra's --tcp-auth syntax)
};

struct SchemaEntry {
  const char* key;
  ValueType type;
  const char* defaultValue;
  const char* doc;
  long long minInt = 0;
  long long maxInt = 0;
  const char* choices = "";  // Enum only
};

/// Every key, in the order of config/rdkernel.conf.
const std::vector<SchemaEntry>& schema();

/// The entry for |key|, or nullptr for an unknown key.
const SchemaEntry* findSchema(const std::string& key);

/// Human name of a type for docs and errors ("int 0..100", "enum{a,b}", ...).
std::string describeType(const SchemaEntry& entry);

/// Empty when |value| is valid for |entry|, else what is wrong with it.
std::string checkValue(const SchemaEntry& entry, const std::string& value);

/// Splits a comma-separated list, trimming items and dropping empty ones.
std::vector<std::string> splitList(const std::string& value);

std::string trim(const std::string& text);

}  // namespace rdk::config
