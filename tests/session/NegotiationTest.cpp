// Encoding negotiation from plugin features, table by table: preference order, config limits, and
// the roles a feature can play (a decode-only plugin is never chosen to encode).
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "rdk/json.hpp"
#include "rdk/protocol/capabilities.h"
#include "rdk/session/negotiation.h"

using rdk::plugin::Feature;
using rdk::protocol::Capabilities;
using rdk::protocol::Value;
using rdk::session::negotiateEncodings;

namespace {
Feature feature(const std::string& name, const std::string& plugin, int rank,
                const std::string& roles = "") {
  Feature f;
  f.name = name;
  f.plugin = plugin;
  f.rank = rank;
  f.properties = rdk::json::parse("{\"kind\":\"encoder\",\"name\":\"" + name + "\"" + roles + "}");
  return f;
}

Capabilities clientOffering(const std::vector<std::string>& encodings) {
  Value::List list;
  for (const auto& e : encodings)
    list.emplace_back(e);
  return Capabilities(Value::Dict{{Value("encodings.core"), Value(list)}});
}

std::string chosen(const rdk::session::Negotiation& n) {
  std::string out;
  for (const auto& c : n.encodings)
    out += (out.empty() ? "" : " ") + c.encoding + "/" + c.plugin;
  return out;
}

bool explains(const rdk::session::Negotiation& n, const std::string& line) {
  return std::find(n.explanation.begin(), n.explanation.end(), line) != n.explanation.end();
}
}  // namespace

class NegotiationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NegotiationTest);
  CPPUNIT_TEST(testServerPreferenceOrderAndClientLimits);
  CPPUNIT_TEST(testDecodeOnlyPluginsNeverEncode);
  CPPUNIT_TEST(testConfigNarrowsAndNoCommonEncodingIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testServerPreferenceOrderAndClientLimits() {
    // Features arrive in the registry's order (prefer list, then rank).
    const std::vector<Feature> server = {feature("vp9", "vpx", 170), feature("vp8", "vpx", 150),
                                         feature("webp", "webp", 120), feature("png", "png", 90)};
    const auto n = negotiateEncodings(clientOffering({"png", "vp8", "rgb24"}), server, {});
    CPPUNIT_ASSERT(n.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("vp8/vpx png/png"), chosen(n));
    CPPUNIT_ASSERT(explains(n, "vp9: plugin vpx passed over: the client does not decode it"));
  }

  void testDecodeOnlyPluginsNeverEncode() {
    // h264 from a hardware encoder (encode only) and from a decoder library (decode only).
    const std::vector<Feature> server = {
        feature("h264", "avcodec", 200, ",\"encode\":false,\"decode\":true"),
        feature("h264", "vaapi", 190, ",\"decode\":false"), feature("png", "png", 90)};
    const auto n = negotiateEncodings(clientOffering({"h264", "png"}), server, {});
    CPPUNIT_ASSERT_EQUAL(std::string("h264/vaapi png/png"), chosen(n));
    CPPUNIT_ASSERT(explains(n, "h264: plugin avcodec passed over: it only decodes"));
    // Without the hardware encoder nobody encodes h264, whatever the client decodes.
    const auto without =
        negotiateEncodings(clientOffering({"h264", "png"}), {server[0], server[2]}, {});
    CPPUNIT_ASSERT_EQUAL(std::string("png/png"), chosen(without));
    CPPUNIT_ASSERT(std::find(without.available.begin(), without.available.end(), "h264") ==
                   without.available.end());
    CPPUNIT_ASSERT(rdk::plugin::featureDecodes(server[0]));
    CPPUNIT_ASSERT(!rdk::plugin::featureEncodes(server[0]));
    CPPUNIT_ASSERT(!rdk::plugin::featureDecodes(server[1]));
    CPPUNIT_ASSERT(rdk::plugin::featureEncodes(server[2]) &&
                   rdk::plugin::featureDecodes(server[2]));
  }

  void testConfigNarrowsAndNoCommonEncodingIsAnError() {
    const std::vector<Feature> server = {feature("vp8", "vpx", 150), feature("png", "png", 90)};
    const auto narrowed = negotiateEncodings(clientOffering({"vp8", "png"}), server, {"png"});
    CPPUNIT_ASSERT_EQUAL(std::string("png/png"), chosen(narrowed));
    CPPUNIT_ASSERT(explains(narrowed, "vp8: plugin vpx passed over: not in server.encodings"));
    const auto none = negotiateEncodings(clientOffering({"jpeg"}), server, {});
    CPPUNIT_ASSERT(!none.ok());
    CPPUNIT_ASSERT_MESSAGE(none.error, none.error.find("no common encodings") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(none.error, none.error.find("jpeg") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NegotiationTest);
