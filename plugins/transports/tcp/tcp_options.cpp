#include "tcp_options.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "rdk/plugin.hpp"

namespace rdk::tcp {

namespace {
long intValue(const Poco::JSON::Object::Ptr& obj, const std::string& key, long fallback, long lo,
              long hi) {
  if (!obj->has(key))
    return fallback;
  long v = 0;
  try {
    v = static_cast<long>(obj->getValue<double>(key));
  } catch (const Poco::Exception&) {
    throw Error(RDK_E_INVALID_ARG, "option " + key + " must be a number");
  }
  if (v < lo || v > hi)
    throw Error(RDK_E_INVALID_ARG, "option " + key + " out of range");
  return v;
}
}  // namespace

TcpOptions parseTcpOptions(const std::string& json) {
  TcpOptions o;
  if (json.empty())
    return o;
  Poco::JSON::Object::Ptr obj;
  try {
    obj = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    throw Error(RDK_E_INVALID_ARG, "transport options are not a JSON object");
  }
  if (!obj)
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
