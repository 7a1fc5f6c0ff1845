#include "SoundSenderTest.h"

#include "rdk/audio/opus_codec.h"
#include "rdk/session/sound_sender.h"

using namespace rdk;
using protocol::SoundControl;
using protocol::Value;
using session::SoundPeer;
using session::SoundSender;

CPPUNIT_TEST_SUITE_REGISTRATION(SoundSenderTest);

namespace {

SoundSender sender(std::vector<std::string> decoders, bool bundle = true, bool receive = true) {
  audio::OpusEncoder enc(audio::AudioFormat{});
  return SoundSender(SoundPeer{receive, std::move(decoders), bundle}, enc.idHeader(), enc.preSkip(),
                     20);
}

audio::EncodedFrame frame(uint64_t index) {
  return audio::EncodedFrame{index, index * 20000, std::string("opus") + std::to_string(index)};
}

const Value* meta(const protocol::SoundData& d, const char* key) {
  static Value holder;
  holder = Value(d.metadata);
  return holder.find(key);
}

}  // namespace

void SoundSenderTest::testNothingBeforeStart() {
  SoundSender s = sender({"opus"});
  CPPUNIT_ASSERT(s.frame(frame(0)).empty());
  CPPUNIT_ASSERT(!s.streaming());
}

void SoundSenderTest::testStartStreamsRawOpus() {
  SoundSender s = sender({"opus"});
  std::string reply;
  auto out = s.control(SoundControl{"start", {Value("opus")}}, &reply);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), out[0].data.codec);
  CPPUNIT_ASSERT(out[0].data.data.empty());
  CPPUNIT_ASSERT(meta(out[0].data, "start-of-stream")->asBool());
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), meta(out[0].data, "codec")->asBytes());
  CPPUNIT_ASSERT_EQUAL(int64_t{0}, meta(out[0].data, "sequence")->asInt());
  CPPUNIT_ASSERT(!out[0].droppable);
  for (uint64_t i = 100; i < 115; ++i) {
    out = s.frame(frame(i));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
    const auto& d = out[0].data;
    CPPUNIT_ASSERT_EQUAL(frame(i).packet, d.data);
    // As GStreamer stamps buffers: pts and duration in ns, from the stream's start.
    CPPUNIT_ASSERT_EQUAL(static_cast<int64_t>(i - 100) * 20'000'000, meta(d, "timestamp")->asInt());
    CPPUNIT_ASSERT_EQUAL(int64_t{20'000'000}, meta(d, "duration")->asInt());
    CPPUNIT_ASSERT_EQUAL(static_cast<int64_t>(i), meta(d, "rdk.frame")->asInt());
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, meta(d, "sequence")->asInt());
    // The first ten reliably (a decoder's start), then droppable.
    CPPUNIT_ASSERT_EQUAL(i - 100 >= SoundSender::kReliableFrames, out[0].droppable);
  }
  // rdkernel info's counters: 15 frames of "opusNNN".
  CPPUNIT_ASSERT_EQUAL(uint64_t{15}, s.totalFrames());
  CPPUNIT_ASSERT_EQUAL(uint64_t{15 * 7}, s.totalBytes());
  CPPUNIT_ASSERT(s.control(SoundControl{"start", {Value("opus")}}, &reply).empty());
}

void SoundSenderTest::testOggHeadersBundledOrSentFirst() {
  for (bool bundle : {true, false}) {
    SoundSender s = sender({"opus+ogg"}, bundle);
    std::string reply;
    s.control(SoundControl{"start", {Value("opus+ogg")}}, &reply);
    auto out = s.frame(frame(7));
    const auto isPage = [](const std::string& b) { return b.compare(0, 4, "OggS") == 0; };
    if (bundle) {
      CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
      CPPUNIT_ASSERT(out[0].data.packetMetadata.has_value());
      const std::string& headers = out[0].data.packetMetadata->at(0).asBytes();
      CPPUNIT_ASSERT(isPage(headers) && headers.find("OpusHead") != std::string::npos);
    } else {
      CPPUNIT_ASSERT_EQUAL(size_t{2}, out.size());
      CPPUNIT_ASSERT(out[0].data.data.find("OpusTags") != std::string::npos);
      CPPUNIT_ASSERT(!out[0].droppable);
    }
    CPPUNIT_ASSERT(isPage(out.back().data.data));
    CPPUNIT_ASSERT(out.back().data.data.find(frame(7).packet) != std::string::npos);
    out = s.frame(frame(8));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
    CPPUNIT_ASSERT(!out[0].data.packetMetadata.has_value());
  }
}

void SoundSenderTest::testStopAndNewSequence() {
  SoundSender s = sender({"opus"});
  std::string reply;
  s.control(SoundControl{"start", {Value("opus")}}, &reply);
  // A stop for another sequence is not ours (Xpra: "not stopped").
  CPPUNIT_ASSERT(s.control(SoundControl{"stop", {Value("5")}}, &reply).empty());
  CPPUNIT_ASSERT(s.streaming());
  auto out = s.control(SoundControl{"stop", {Value("0")}}, &reply);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
  CPPUNIT_ASSERT(meta(out[0].data, "end-of-stream")->asBool());
  CPPUNIT_ASSERT_EQUAL(int64_t{0}, meta(out[0].data, "sequence")->asInt());
  CPPUNIT_ASSERT(!s.streaming());
  CPPUNIT_ASSERT(s.frame(frame(1)).empty());
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, s.sequence());
  // The client numbers its next stream (its stop_receiving_sound sends new-sequence).
  s.control(SoundControl{"new-sequence", {Value("4")}}, &reply);
  CPPUNIT_ASSERT_EQUAL(int64_t{4}, s.sequence());
  out = s.control(SoundControl{"start", {Value("opus")}}, &reply);
  CPPUNIT_ASSERT_EQUAL(int64_t{4}, meta(out[0].data, "sequence")->asInt());
  out = s.frame(frame(9));
  CPPUNIT_ASSERT_EQUAL(int64_t{4}, meta(out[0].data, "sequence")->asInt());
  CPPUNIT_ASSERT_EQUAL(int64_t{0}, meta(out[0].data, "timestamp")->asInt());
  // The counters run over streams; start and end of a stream carry no frame.
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, s.totalFrames());
  CPPUNIT_ASSERT_EQUAL(uint64_t{5}, s.totalBytes());
  // Bad input: no crash, nothing sent.
  CPPUNIT_ASSERT(s.control(SoundControl{"new-sequence", {Value("x")}}, &reply).empty());
  CPPUNIT_ASSERT(s.control(SoundControl{"new-sequence", {}}, &reply).empty());
  CPPUNIT_ASSERT(s.control(SoundControl{"sync", {Value(120)}}, &reply).empty());
}

void SoundSenderTest::testRefusedStartSaysEndOfStream() {
  std::string reply;
  SoundSender wavOnly = sender({"wav"});
  auto out = wavOnly.control(SoundControl{"start", {Value("wav")}}, &reply);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
  CPPUNIT_ASSERT(meta(out[0].data, "end-of-stream")->asBool());
  CPPUNIT_ASSERT(!wavOnly.streaming());
  SoundSender deaf = sender({"opus"}, true, false);
  out = deaf.control(SoundControl{"start", {Value("opus")}}, &reply);
  CPPUNIT_ASSERT(meta(out[0].data, "end-of-stream")->asBool());
}

void SoundSenderTest::testStartWithoutCodecTakesClientPreference() {
  // A stock client's decoder list (CODEC_ORDER, as GStreamer's base and good plugins give it).
  SoundSender s = sender({"vorbis+mka", "flac", "wav", "opus+ogg", "opus+mka", "speex+ogg"});
  std::string reply;
  auto out = s.control(SoundControl{"start", {}}, &reply);
  CPPUNIT_ASSERT(s.streaming());
  CPPUNIT_ASSERT_EQUAL(std::string("opus+ogg"), s.codec());
}
