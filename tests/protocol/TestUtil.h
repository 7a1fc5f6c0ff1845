// Helpers shared by the protocol tests.
#pragma once

#include <string>
#include <string_view>

namespace rdk::protocol::test {

std::string toHex(std::string_view bytes);
std::string fromHex(std::string_view hex);
// Runs /usr/bin/python3 on `script` (written to a temp file); returns stdout, sets ok=false when
// the interpreter or the rencode module is missing or the script fails.
std::string runPython(const std::string& script, bool& ok);
std::string readFile(const std::string& path);

}  // namespace rdk::protocol::test
