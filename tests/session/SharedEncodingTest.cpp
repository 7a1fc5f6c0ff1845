#include "SharedEncodingTest.h"

#include <chrono>
#include <thread>
#include <vector>

#include "rdk/session/encoded_picture_cache.h"
#include "session_fixture.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(SharedEncodingTest);

using rdk::plugin::EncodedPicture;
using rdk::plugin::EncoderObject;
using rdk::session::EncodedPictureCache;
using rdk::session::PictureKey;
using rdk::session::SharedEncodingLimits;
using rdk::test::RunningServer;
using rdk::test::testConfig;
using rdk::test::testRegistry;

namespace {

std::unique_ptr<EncoderObject> stillEncoder(const std::string& encoding) {
  auto config = testConfig();
  std::string why;
  auto* plugin = testRegistry(config).select(rdk::plugin::Kind::Encoder, encoding, &why,
                                             rdk::plugin::featureEncodes);
  CPPUNIT_ASSERT_MESSAGE(why, plugin);
  auto encoder = EncoderObject::create(*plugin, encoding, 0, 0, "{}", &why);
  CPPUNIT_ASSERT_MESSAGE(why, encoder);
  return encoder;
}

/// A |w| x |h| BGRX picture inside a buffer whose rows are |stride| bytes (padding filled with
/// |padding| so a key that read it would differ).
struct Picture {
  std::vector<uint8_t> bytes;
  rdk_image image{};
  Picture(uint32_t w, uint32_t h, uint32_t stride, uint8_t padding) : bytes(size_t{stride} * h) {
    for (uint32_t y = 0; y < h; ++y) {
      for (uint32_t x = 0; x < stride; ++x)
        bytes[size_t{y} * stride + x] = x < w * 4 ? uint8_t((x * 7 + y * 13) & 0xff) : padding;
    }
    image.struct_size = sizeof(image);
    image.width = w;
    image.height = h;
    image.stride = stride;
    image.format = RDK_PIXEL_BGRX;
    image.pixels = bytes.data();
  }
};

rdk_encode_params params(int quality, int speed, uint32_t flags = 0) {
  rdk_encode_params p{};
  p.struct_size = sizeof(p);
  p.quality = quality;
  p.speed = speed;
  p.flags = flags;
  return p;
}

EncodedPicture picture(size_t bytes, char fill) {
  EncodedPicture p;
  p.coding = "rgb24";
  p.data.assign(bytes, fill);
  p.optionsJson = "{\"rgb_format\":\"BGRX\"}";
  return p;
}

struct ClientRun {
  rdk::session::ClientSummary summary;
  std::vector<uint8_t> notesPixels;  // the synthetic desktop's Notes window (wid 2): static
};

/// |count| headless clients at once against |url| for |seconds|.
std::vector<ClientRun> runClients(rdk::config::Config& config, const std::string& url, int count,
                                  double seconds) {
  std::vector<ClientRun> runs(count);
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      rdk::session::ClientOptions options;
      options.url = url;
      options.headless = true;
      options.seconds = seconds;
      rdk::session::Client client(config, rdk::plugin::Registry::instance(), options);
      std::atomic<bool> stop{false};
      client.run(stop);
      runs[i].summary = client.summary();
      auto notes = client.windows().find(2);
      if (notes != client.windows().end())
        runs[i].notesPixels = notes->second.pixels;
    });
  }
  for (auto& t : threads)
    t.join();
  return runs;
}

std::string describe(const rdk::session::ServerSummary& s) {
  return "server: " + std::to_string(s.draws) +
         " draws, shared encodes: " + std::to_string(s.sharedEncoding.hits) + " hits, " +
         std::to_string(s.sharedEncoding.misses) + " misses";
}

}  // namespace

void SharedEncodingTest::testKeyFollowsPixelsAndEverySetting() {
  const auto rgb = stillEncoder("rgb24");
  const auto png = stillEncoder("png");
  const Picture tight(33, 9, 33 * 4, 0);
  const Picture padded(33, 9, 40 * 4, 0xAB);  // the same pixels inside a wider frame
  Picture changed(33, 9, 33 * 4, 0);
  changed.bytes[5 * 33 * 4 + 17] ^= 1;  // one bit of one pixel
  const std::string options = "{\"rgb_lz4\":true}";
  const PictureKey key = EncodedPictureCache::makeKey(*rgb, tight.image, params(80, 50), options);

  CPPUNIT_ASSERT(key == EncodedPictureCache::makeKey(*rgb, padded.image, params(80, 50), options));
  CPPUNIT_ASSERT(rdk::session::PictureKeyHash{}(key) ==
                 rdk::session::PictureKeyHash{}(
                     EncodedPictureCache::makeKey(*rgb, padded.image, params(80, 50), options)));
  CPPUNIT_ASSERT(
      !(key == EncodedPictureCache::makeKey(*rgb, changed.image, params(80, 50), options)));
  CPPUNIT_ASSERT(
      !(key == EncodedPictureCache::makeKey(*rgb, tight.image, params(81, 50), options)));
  CPPUNIT_ASSERT(
      !(key == EncodedPictureCache::makeKey(*rgb, tight.image, params(80, 51), options)));
  CPPUNIT_ASSERT(!(key == EncodedPictureCache::makeKey(
                              *rgb, tight.image, params(80, 50, RDK_ENCODE_LOSSLESS), options)));
  CPPUNIT_ASSERT(!(key == EncodedPictureCache::makeKey(*rgb, tight.image, params(80, 50),
                                                       "{\"rgb_lz4\":false}")));
  CPPUNIT_ASSERT(
      !(key == EncodedPictureCache::makeKey(*png, tight.image, params(80, 50), options)));
  const Picture narrower(32, 9, 33 * 4, 0);  // the same bytes read as another shape
  CPPUNIT_ASSERT(
      !(key == EncodedPictureCache::makeKey(*rgb, narrower.image, params(80, 50), options)));

  // Stills share, video (a stateful stream, from the plugin's "video" property) never does.
  rdk::encoding::Choice still;
  still.video = false;
  rdk::encoding::Choice video;
  video.video = true;
  CPPUNIT_ASSERT(EncodedPictureCache::shareable(still));
  CPPUNIT_ASSERT(!EncodedPictureCache::shareable(video));
}

void SharedEncodingTest::testCacheIsBoundedByBytesAndAge() {
  const auto rgb = stillEncoder("rgb24");
  std::vector<Picture> pictures;
  std::vector<PictureKey> keys;
  for (int i = 0; i < 4; ++i) {
    pictures.emplace_back(16 + i, 16, (16 + i) * 4, 0);
    keys.push_back(EncodedPictureCache::makeKey(*rgb, pictures.back().image, params(80, 50), ""));
  }
  SharedEncodingLimits limits;
  limits.maxBytes = 3 * (1000 + 512);  // three 1000-byte entries and their bookkeeping
  limits.maxAgeUs = 1'000'000;
  EncodedPictureCache cache(limits);

  CPPUNIT_ASSERT(!cache.acquire(keys[0], 0));
  cache.insert(keys[0], picture(1000, 'a'), 5000, 0);
  cache.insert(keys[1], picture(1000, 'b'), 5000, 10);
  cache.insert(keys[2], picture(1000, 'c'), 5000, 20);
  const auto hit = cache.acquire(keys[0], 30);  // now the most recently used
  CPPUNIT_ASSERT(hit);
  CPPUNIT_ASSERT_EQUAL(std::string(1000, 'a'), hit->data);
  CPPUNIT_ASSERT_EQUAL(std::string("{\"rgb_format\":\"BGRX\"}"), hit->optionsJson);
  cache.insert(keys[3], picture(1000, 'd'), 5000, 40);  // evicts the least recently used: 1
  CPPUNIT_ASSERT(cache.acquire(keys[0], 50));
  CPPUNIT_ASSERT(!cache.acquire(keys[1], 50));
  CPPUNIT_ASSERT(cache.acquire(keys[2], 50));
  CPPUNIT_ASSERT(cache.acquire(keys[3], 50));
  auto s = cache.stats();
  CPPUNIT_ASSERT_EQUAL(uint64_t{4}, s.hits);
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, s.misses);
  CPPUNIT_ASSERT_EQUAL(uint64_t{4000}, s.bytesSaved);
  CPPUNIT_ASSERT_EQUAL(uint64_t{20000}, s.encodeUsSaved);
  CPPUNIT_ASSERT_EQUAL(uint64_t{3}, s.entries);
  CPPUNIT_ASSERT(s.bytes <= limits.maxBytes);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, s.evictions);

  // Unused for longer than maxAgeUs: gone (a use refreshes the age).
  CPPUNIT_ASSERT(cache.acquire(keys[3], 900'000));
  CPPUNIT_ASSERT(!cache.acquire(keys[0], 1'000'100));
  CPPUNIT_ASSERT(cache.acquire(keys[3], 1'000'100));
  CPPUNIT_ASSERT(!cache.acquire(keys[3], 2'000'200));
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.stats().entries);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.stats().bytes);

  // A picture bigger than the whole budget is not kept.
  cache.insert(keys[0], picture(limits.maxBytes, 'x'), 5000, 3'000'000);
  CPPUNIT_ASSERT(!cache.acquire(keys[0], 3'000'000));
}

void SharedEncodingTest::testWorkersWaitForAnEncodeInProgress() {
  using namespace std::chrono_literals;
  const auto rgb = stillEncoder("rgb24");
  const Picture pixels(16, 16, 16 * 4, 0);
  const PictureKey key = EncodedPictureCache::makeKey(*rgb, pixels.image, params(80, 50), "");
  SharedEncodingLimits limits;
  limits.maxWaitUs = 200'000;
  {
    // The first worker claims the picture; the second waits for its encode instead of encoding.
    EncodedPictureCache cache(limits);
    CPPUNIT_ASSERT(!cache.acquire(key, 0));
    std::shared_ptr<const EncodedPicture> seen;
    std::thread second([&] { seen = cache.acquire(key, 0); });
    std::this_thread::sleep_for(50ms);
    cache.insert(key, picture(100, 'p'), 5000, 0);
    second.join();
    CPPUNIT_ASSERT(seen);
    CPPUNIT_ASSERT_EQUAL(std::string(100, 'p'), seen->data);
    const auto s = cache.stats();
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, s.misses);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, s.hits);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, s.waits);
  }
  {
    // A failed encode hands the claim to the waiting worker, which encodes it itself.
    EncodedPictureCache cache(limits);
    CPPUNIT_ASSERT(!cache.acquire(key, 0));
    bool claimed = false;
    std::thread second([&] { claimed = !cache.acquire(key, 0); });
    std::this_thread::sleep_for(50ms);
    cache.abandon(key);
    second.join();
    CPPUNIT_ASSERT(claimed);
    CPPUNIT_ASSERT_EQUAL(uint64_t{2}, cache.stats().misses);
  }
  {
    // A claim never released (a stuck worker) costs a waiter maxWaitUs, then it encodes itself.
    EncodedPictureCache cache(limits);
    CPPUNIT_ASSERT(!cache.acquire(key, 0));
    const auto start = std::chrono::steady_clock::now();
    CPPUNIT_ASSERT(!cache.acquire(key, 0));
    const auto waited = std::chrono::steady_clock::now() - start;
    CPPUNIT_ASSERT(waited >= 190ms && waited < 2s);
  }
}

void SharedEncodingTest::testClientsWithTheSameSettingsShareEncodes() {
  constexpr int kClients = 4;
  constexpr double kSeconds = 3.0;
  std::vector<ClientRun> shared;
  {
    auto config = testConfig();
    config.set("server.size", "640x480", "test");
    RunningServer server(config, "tcp://127.0.0.1:0");
    shared = runClients(config, server.url(), kClients, kSeconds);
    const auto s = server.server().summary();
    CPPUNIT_ASSERT(s.sharedEncodingEnabled);
    // Four clients in step: ideally 3 of 4 still encodes come from the cache; most must.
    CPPUNIT_ASSERT_MESSAGE(describe(s), s.sharedEncoding.misses > 0);
    CPPUNIT_ASSERT_MESSAGE(describe(s), s.sharedEncoding.hits >= 2 * s.sharedEncoding.misses);
    CPPUNIT_ASSERT_MESSAGE(describe(s), s.sharedEncoding.bytesSaved > 0);
  }
  for (const ClientRun& run : shared) {
    const auto& c = run.summary;
    CPPUNIT_ASSERT_MESSAGE(c.endReason, c.handshakeOk);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(c.draws), c.draws > 10);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, c.decodeErrors);
    CPPUNIT_ASSERT(!run.notesPixels.empty());
  }

  // The reference: the same desktop without sharing, where every client encodes for itself.
  ClientRun alone;
  {
    auto config = testConfig();
    config.set("server.size", "640x480", "test");
    config.set("server.shared-encoding", "false", "test");
    RunningServer server(config, "tcp://127.0.0.1:0");
    alone = runClients(config, server.url(), 2, kSeconds).front();
    // The summary counts a session's draws once the loop has reaped it, which may be a moment
    // after the client returned.
    auto s = server.server().summary();
    for (int i = 0; i < 30 && s.draws == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = server.server().summary();
    }
    CPPUNIT_ASSERT(!s.sharedEncodingEnabled);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, s.sharedEncoding.hits);
    CPPUNIT_ASSERT(s.draws > 0);
  }
  CPPUNIT_ASSERT(alone.summary.handshakeOk);
  // The Notes window never changes (no input): after its lossless refresh every client holds the
  // desktop's exact pixels, whether it encoded them itself or got another session's encode.
  CPPUNIT_ASSERT(!alone.notesPixels.empty());
  for (const ClientRun& run : shared)
    CPPUNIT_ASSERT(run.notesPixels == alone.notesPixels);
}
