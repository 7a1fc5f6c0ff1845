#include <cstdio>
#include <fstream>
#include <sstream>

#include "rdk/config/config.h"
#include "rdk/session/negotiation.h"
#include "session_commands.h"

namespace rdk::cli {

using session::explainNegotiation;

int runExplain(config::Config& config, plugin::Registry& registry, const std::string& helloPath) {
  std::ifstream in(helloPath);
  if (!in) {
    std::fprintf(stderr, "rdkernel: cannot read %s\n", helloPath.c_str());
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  protocol::Value hello;
  try {
    hello = protocol::Value::fromJson(text.str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rdkernel: %s is not a JSON hello: %s\n", helloPath.c_str(), e.what());
    return 2;
  }
  std::fputs(explainNegotiation(hello, registry, config).c_str(), stdout);
  return 0;
}

}  // namespace rdk::cli
