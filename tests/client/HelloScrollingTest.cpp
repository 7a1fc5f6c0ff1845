#include "HelloScrollingTest.h"

#include <string>
#include <vector>

#include "rdk/session/hello_builder.h"

using rdk::session::announcesScrolling;
using rdk::session::clientHello;
using rdk::session::ClientHelloInputs;

CPPUNIT_TEST_SUITE_REGISTRATION(HelloScrollingTest);

void HelloScrollingTest::testNamedPictureEncodingKeepsScrollDraws() {
  const std::vector<std::string> video = {"vp8", "vp9", "h264"};
  CPPUNIT_ASSERT(announcesScrolling("auto", video));
  // `rdkernel attach --encoding png`: scrolled text still arrives as scroll draws (it did not).
  CPPUNIT_ASSERT(announcesScrolling("png", video));
  CPPUNIT_ASSERT(announcesScrolling("jpeg", video));
  // --encoding h264: video, not scroll + pictures from a stock 3.1.3 server.
  CPPUNIT_ASSERT(!announcesScrolling("h264", video));
  CPPUNIT_ASSERT(!announcesScrolling("vp8", video));
  // What decides is the decoders' "video" property, not a name.
  CPPUNIT_ASSERT(announcesScrolling("vp8", {}));
  ClientHelloInputs in;
  in.encoding = "png";
  in.scrolling = announcesScrolling(in.encoding, video);
  const auto caps = clientHello(in);
  const auto* scrolling = caps.find("encoding.scrolling");
  CPPUNIT_ASSERT(scrolling && scrolling->asBool());
}
