// The stock Xpra 3.1.3 client plays rdkernel's sound (issue 17): `xpra attach --speaker=on
// --speaker-codec=opus+ogg` against `rdkernel serve --set server.sound=pulse`, with a private
// PulseAudio server of its own; a tone played into the server's sink must be decoded by the
// client (its log names the codec and shows no error) and come out of the client's sink (recorded
// from its monitor) at the tone's frequency within 1%.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraSoundInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraSoundInteropTest);
  CPPUNIT_TEST(testStockClientPlaysTheSessionsSound);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStockClientPlaysTheSessionsSound();
};
