#include "tcp_options.hpp"

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::tcp {

namespace {
long intValue(const json::Value& obj, const std::string& key, long fallback, long lo, long hi) {
  const json::Value* value = obj.find(key);
  if (!value)
    return fallback;
  double d = 0;
  try {
    d = value->asNumber();
  } catch (const json::TypeError&) {
    throw Error(RDK_E_INVALID_ARG, "option " + key + " must be a number");
  }
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
    throw Error(RDK_E_INVALID_ARG, "option " + key + " out of range");
  return static_cast<long>(d);
}
}  // namespace

TcpOptions parseTcpOptions(const std::string& text) {
  TcpOptions o;
  if (text.empty())
    return o;
  json::Value obj;
  try {
    obj = json::Value::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG,
                std::string("transport options are not a JSON object: ") + e.what());
  }
  if (!obj.isObject())
    throw Error(RDK_E_INVALID_ARG, "transport options are not a JSON object");
  o.maxQueueBytes = static_cast<size_t>(
      intValue(obj, "send_buffer_bytes", static_cast<long>(o.maxQueueBytes), 4096, 1L << 31));
  o.connectTimeoutMs =
      static_cast<int>(intValue(obj, "connect_timeout_ms", o.connectTimeoutMs, 1, 600000));
  o.idleTimeoutS = static_cast<int>(intValue(obj, "idle_timeout_s", o.idleTimeoutS, 0, 86400));
  o.closeFlushMs = static_cast<int>(intValue(obj, "close_flush_ms", o.closeFlushMs, 0, 60000));
  return o;
}

}  // namespace rdk::tcp
