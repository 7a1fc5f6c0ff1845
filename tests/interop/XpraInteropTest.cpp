#include "XpraInteropTest.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../platforms/xvfb_server.h"
#include "interop_support.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(XpraInteropTest);

using rdk::test::ChildProcess;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using namespace rdk::test::interop;

void XpraInteropTest::testXpraVersionAndInfoAgainstRdkernel() {
  const std::string dir = testDirectory("interop-version");
  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0"}, dir + "/serve.log");
  const std::string url = startRdkernel(server) + "/";
  auto [versionCode, version] =
      runProgram({"/usr/bin/xpra", "version", url}, dir + "/version.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(version, 0, versionCode);
  CPPUNIT_ASSERT_MESSAGE(version, version.find("rdkernel 0.1.0") != std::string::npos);

  auto [infoCode, info] =
      runProgram({"/usr/bin/xpra", "info", url}, dir + "/info.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(info, 0, infoCode);
  CPPUNIT_ASSERT_MESSAGE(info, info.find("server.type=rdkernel") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(info, info.find("server.platform=synthetic") != std::string::npos);
  // The server is still serving after both one-shot requests.
  auto [again, text] =
      runProgram({"/usr/bin/xpra", "version", url}, dir + "/version2.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(text, 0, again);
}

// Issue 20 item 4: `xpra screenshot`, `xpra detach` and `xpra stop` failed with "no common
// encodings" (their hellos carry none); Xpra 3.1.3 answers them without a session.
void XpraInteropTest::testXpraScreenshotDetachStopAgainstRdkernel() {
  const std::string dir = testDirectory("interop-requests");
  ChildProcess server(
      {kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--set", "server.size=640x360"},
      dir + "/serve.log");
  const std::string url = startRdkernel(server) + "/";
  const std::string png = dir + "/screenshot.png";
  auto [shotCode, shot] = runProgram({"/usr/bin/xpra", "screenshot", png, url},
                                     dir + "/screenshot.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(shot, 0, shotCode);
  CPPUNIT_ASSERT_MESSAGE(shot, shot.find("screenshot 640x360 saved to") != std::string::npos);
  CPPUNIT_ASSERT(std::filesystem::file_size(png) > 1000);
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  CPPUNIT_ASSERT_EQUAL(std::string("\x89PNG\r\n\x1a\n", 8), std::string(magic, 8));

  // An attached client is detached by another connection's request.
  ChildProcess attached({kRdkernel, "attach", url, "--headless", "--seconds", "60"},
                        dir + "/attach.log");
  CPPUNIT_ASSERT_MESSAGE(server.output(), !server.waitForOutput("connected to", 15000).empty());
  std::this_thread::sleep_for(std::chrono::seconds(1));  // its hello done, the session active
  auto [detachCode, detach] =
      runProgram({"/usr/bin/xpra", "detach", url}, dir + "/detach.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(detach, 0, detachCode);
  CPPUNIT_ASSERT_MESSAGE(
      detach, detach.find("1 other clients have been disconnected") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(attached.output(), attached.wait(15000) != -1);
  CPPUNIT_ASSERT_MESSAGE(attached.output(),
                         attached.output().find("detach request") != std::string::npos);

  auto [stopCode, stop] =
      runProgram({"/usr/bin/xpra", "stop", url}, dir + "/stop.log", 30000, xpraEnv(dir));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(stop, 0, stopCode);
  CPPUNIT_ASSERT_MESSAGE(stop, stop.find("server shutdown") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.output(), 0, server.wait(15000));
  CPPUNIT_ASSERT_MESSAGE(server.output(), server.output().find("a client asked the server to "
                                                               "stop") != std::string::npos);
}

// Issue 20 item 4: `rdkernel stop URL` stops a server, authenticating as attach does.
void XpraInteropTest::testRdkernelStopAuthenticates() {
  const std::string dir = testDirectory("interop-rdkernel-stop");
  {
    std::ofstream(dir + "/server-pw") << "s3cret";  // file: auth takes every byte
    std::ofstream(dir + "/wrong-pw") << "guess";
  }
  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--set",
                       "server.auth=file:filename=" + dir + "/server-pw"},
                      dir + "/serve.log");
  const std::string url = startRdkernel(server);
  auto [wrongCode, wrong] = runProgram(
      {kRdkernel, "stop", url, "--password-file", dir + "/wrong-pw"}, dir + "/wrong.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong, 1, wrongCode);
  CPPUNIT_ASSERT_MESSAGE(wrong, wrong.find("authentication failed") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.output(), -1, server.wait(500));  // still serving
  auto [stopCode, stop] = runProgram(
      {kRdkernel, "stop", url, "--password-file", dir + "/server-pw"}, dir + "/stop.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(stop, 0, stopCode);
  CPPUNIT_ASSERT_MESSAGE(stop, stop.find("is stopping") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.output(), 0, server.wait(15000));
}

void XpraInteropTest::testXpraClientShowsRdkernelDesktop() {
  const std::string dir = testDirectory("interop-xpra-client");
  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--set",
                       "server.encodings=png,rgb24,rgb32,webp"},
                      dir + "/serve.log");
  const std::string url = startRdkernel(server);
  rdk::test::XvfbServer display(1920, 1080);
  std::vector<std::string> attach{"/usr/bin/xpra", "attach", url + "/"};
  std::string args = xpraAttachArgs();
  for (size_t pos = 0; pos < args.size();) {
    size_t end = args.find(' ', pos);
    if (end == std::string::npos)
      end = args.size();
    attach.push_back(args.substr(pos, end - pos));
    pos = end + 1;
  }
  attach.push_back("--socket-dirs=" + dir);
  attach.push_back("--log-dir=" + dir);
  ChildProcess client(attach, dir + "/xpra-attach.log", xpraEnv(dir, display.name()));
  CPPUNIT_ASSERT_MESSAGE(client.output(), !client.waitForOutput("Attached to", 30000).empty());
  // Our own headless client takes the reference picture of the same desktop at the same time.
  auto [code, summary] = runProgram({kRdkernel, "attach", url, "--headless", "--seconds", "6",
                                     "--snapshot", dir + "/rdkernel.png", "--no-status"},
                                    dir + "/rdkernel-attach.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(summary, 0, code);
  const std::string xwd = dir + "/xpra-client.xwd";
  CPPUNIT_ASSERT_EQUAL(
      0, std::system(("DISPLAY=" + display.name() + " xwd -root -silent > '" + xwd + "'").c_str()));
  auto [convertCode, convertOut] =
      runProgram({"/usr/bin/python3", kScripts + "/xwd_to_png.py", xwd, dir + "/xpra-client.png"},
                 dir + "/convert.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(convertOut, 0, convertCode);
  // Part of the colour bars and the title bar of the synthetic desktop never change and are never
  // covered by its moving dialog and popup.
  for (const char* region : {"1040 545 225 160", "0 0 600 18"}) {
    std::vector<std::string> compare{"/usr/bin/python3", kScripts + "/compare_region.py",
                                     dir + "/rdkernel.png", dir + "/xpra-client.png"};
    for (const char* p = region; *p;) {
      const char* space = std::strchr(p, ' ');
      compare.emplace_back(p, space ? space : p + std::strlen(p));
      p = space ? space + 1 : p + std::strlen(p);
    }
    auto [psnrCode, psnrText] = runProgram(compare, dir + "/psnr.log", 30000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(psnrText, 0, psnrCode);
    const double psnr = std::stod(psnrText);
    CPPUNIT_ASSERT_MESSAGE(std::string("PSNR of region ") + region + ": " + psnrText, psnr >= 35.0);
  }
  CPPUNIT_ASSERT_MESSAGE(client.output(), client.output().find("Traceback") == std::string::npos);
}

void XpraInteropTest::testRdkernelAttachToXpraServer() {
  const std::string dir = testDirectory("interop-xpra-server");
  const int port = freeTcpPort();
  const int number = freeDisplayNumber();
  ChildProcess xpra(
      {kScripts + "/start_xpra_server.sh", std::to_string(number), std::to_string(port), dir,
       "--start=xterm -geometry 80x25+0+0 -bg white -fg black"},
      dir + "/xpra-server.log");
  CPPUNIT_ASSERT_MESSAGE(xpra.output(), !xpra.waitForOutput("xpra is ready", 45000).empty());
  const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
  // The xterm maps a moment after the server is ready.
  sleep(2);
  auto [code, json] = runProgram({kRdkernel, "attach", url, "--headless", "--seconds", "5",
                                  "--snapshot", dir + "/snapshot.png", "--json", "--no-status"},
                                 dir + "/attach.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(json, 0, code);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"handshake\": true") != std::string::npos ||
                                   json.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"new-window\"") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"draw\"") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"decode_errors\": 0") != std::string::npos ||
                                   json.find("\"decode_errors\":0") != std::string::npos);
  // The snapshot shows the xterm: its white background at the top left, a dark desktop elsewhere.
  auto [psnrCode, psnr] = runProgram(
      {"/usr/bin/python3", "-c",
       "import sys; from PIL import Image; im=Image.open(sys.argv[1]).convert('L'); "
       "w=sum(1 for x in range(10,470,7) for y in range(20,320,7) if im.getpixel((x,y))>200); "
       "print(w)",
       dir + "/snapshot.png"},
      dir + "/whites.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(psnr, 0, psnrCode);
  CPPUNIT_ASSERT_MESSAGE("white xterm pixels: " + psnr, std::stoi(psnr) > 2000);
  xpra.stop();
  const std::string serverLog = xpra.output();
  for (const char* bad : {"protocol error", "invalid packet", "gibberish", "Traceback"}) {
    CPPUNIT_ASSERT_MESSAGE(std::string(bad) + " in the Xpra server log:\n" + serverLog,
                           serverLog.find(bad) == std::string::npos);
  }
}

void XpraInteropTest::testRdkernelDecodesXpraH264Video() {
  // An animated X program (ico's spinning polyhedron) on a stock Xpra server, and our client asking
  // for h264: Xpra's x264 pipeline streams it and our avcodec plugin decodes every picture.
  const std::string dir = testDirectory("interop-xpra-h264");
  const int port = freeTcpPort();
  const int number = freeDisplayNumber();
  ChildProcess xpra(
      {kScripts + "/start_xpra_server.sh", std::to_string(number), std::to_string(port), dir,
       "--start=ico -geometry 480x360+0+0 -faces -sleep 0.03"},
      dir + "/xpra-server.log");
  CPPUNIT_ASSERT_MESSAGE(xpra.output(), !xpra.waitForOutput("xpra is ready", 45000).empty());
  sleep(2);
  const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
  auto [code, json] =
      runProgram({kRdkernel, "attach", url, "--headless", "--seconds", "5", "--encoding", "h264",
                  "--snapshot", dir + "/snapshot.png", "--json", "--no-status"},
                 dir + "/attach.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(json, 0, code);
  const auto h264 = json.find("\"h264\":");
  CPPUNIT_ASSERT_MESSAGE(json, h264 != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, std::stoi(json.substr(h264 + 7)) >= 10);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"decode_errors\":0") != std::string::npos ||
                                   json.find("\"decode_errors\": 0") != std::string::npos);
  // The polyhedron is white on black inside ico's window at the top left of the snapshot.
  auto [countCode, whites] = runProgram(
      {"/usr/bin/python3", "-c",
       "import sys; from PIL import Image; im=Image.open(sys.argv[1]).convert('L'); "
       "print(sum(1 for x in range(0,480,3) for y in range(0,360,3) if im.getpixel((x,y))>200))",
       dir + "/snapshot.png"},
      dir + "/whites.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(whites, 0, countCode);
  CPPUNIT_ASSERT_MESSAGE("white polyhedron pixels: " + whites, std::stoi(whites) > 100);
  xpra.stop();
  const std::string serverLog = xpra.output();
  for (const char* bad : {"protocol error", "invalid packet", "Traceback"}) {
    CPPUNIT_ASSERT_MESSAGE(std::string(bad) + " in the Xpra server log:\n" + serverLog,
                           serverLog.find(bad) == std::string::npos);
  }
}
