// A JSON syntax scanner that only locates the first error; the values come from Poco's parser.
#include "json_syntax.h"

#include <vector>

namespace rdk::plugin {
namespace {

class Scanner {
 public:
  explicit Scanner(const std::string& text) : t_(text) {}

  // The offset of the first bad byte, or npos when the whole text is one valid value.
  size_t errorOffset() {
    enum class Want { Value, FirstKey, Key, FirstValue, After };
    std::vector<char> open;  // '{' or '[' per nesting level
    Want want = Want::Value;
    while (true) {
      skipSpace();
      if (want == Want::After && open.empty())
        return i_ == t_.size() ? std::string::npos : i_;
      if (i_ >= t_.size())
        return i_;
      const char c = t_[i_];
      switch (want) {
        case Want::FirstKey:
          if (c == '}') {
            ++i_;
            open.pop_back();
            want = Want::After;
            break;
          }
          [[fallthrough]];
        case Want::Key:
          if (c != '"' || !string())
            return i_;
          skipSpace();
          if (i_ >= t_.size() || t_[i_] != ':')
            return i_;
          ++i_;
          want = Want::Value;
          break;
        case Want::FirstValue:
          if (c == ']') {
            ++i_;
            open.pop_back();
            want = Want::After;
            break;
          }
          [[fallthrough]];
        case Want::Value:
          if (c == '{' || c == '[') {
            ++i_;
            open.push_back(c);
            want = c == '{' ? Want::FirstKey : Want::FirstValue;
          } else if (!scalar()) {
            return i_;
          } else {
            want = Want::After;
          }
          break;
        case Want::After:
          if (c == ',') {
            want = open.back() == '{' ? Want::Key : Want::Value;
          } else if ((c == '}' && open.back() == '{') || (c == ']' && open.back() == '[')) {
            open.pop_back();
          } else {
            return i_;
          }
          ++i_;
          break;
      }
    }
  }

 private:
  bool at(char c) const { return i_ < t_.size() && t_[i_] == c; }
  bool digit() const { return i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9'; }

  void skipSpace() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
  }

  bool scalar() {
    switch (t_[i_]) {
      case '"':
        return string();
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  bool word(const char* w) {
    for (; *w; ++w, ++i_) {
      if (!at(*w))
        return false;
    }
    return true;
  }

  bool digits() {
    if (!digit())
      return false;
    while (digit())
      ++i_;
    return true;
  }

  bool number() {
    if (at('-'))
      ++i_;
    if (at('0')) {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (at('.')) {
      ++i_;
      if (!digits())
        return false;
    }
    if (at('e') || at('E')) {
      ++i_;
      if (at('+') || at('-'))
        ++i_;
      if (!digits())
        return false;
    }
    return true;
  }

  bool string() {  // at the opening quote
    ++i_;
    while (i_ < t_.size()) {
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20)
        return false;
      ++i_;
      if (c != '\\')
        continue;
      if (i_ >= t_.size())
        return false;
      const char e = t_[i_++];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k, ++i_) {
          const char h = i_ < t_.size() ? t_[i_] : '\0';
          const bool hex =
              (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
          if (!hex)
            return false;
        }
      } else if (std::string("\"\\/bfnrt").find(e) == std::string::npos) {
        --i_;
        return false;
      }
    }
    return false;
  }

  const std::string& t_;
  size_t i_ = 0;
};

}  // namespace

bool findJsonError(const std::string& text, JsonErrorPlace* place) {
  const size_t offset = Scanner(text).errorOffset();
  if (offset == std::string::npos)
    return false;
  place->offset = offset;
  place->line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++place->line;
      lineStart = i + 1;
    }
  }
  place->column = offset - lineStart + 1;
  return true;
}

}  // namespace rdk::plugin
