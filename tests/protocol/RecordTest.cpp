#include "RecordTest.h"

#include <random>
#include <sstream>

#include "TestUtil.h"
#include "rdk/protocol/protocol.h"

CPPUNIT_TEST_SUITE_REGISTRATION(RecordTest);

using namespace rdk::protocol;
using rdk::protocol::test::fromHex;
using rdk::protocol::test::toHex;

namespace {

std::vector<Packet> readAll(RecordReader& reader, std::string_view bytes,
                            std::optional<ProtocolFailure>* failure = nullptr) {
  std::vector<Packet> out;
  auto f = reader.feed(bytes, [&](Packet&& p) { out.push_back(std::move(p)); });
  if (failure != nullptr)
    *failure = f;
  return out;
}

Packet bigPacket() {
  Value::Dict caps;
  for (int i = 0; i < 60; ++i) {
    caps.emplace_back(Value("key." + std::to_string(i)),
                      Value("some repetitive value " + std::to_string(i)));
  }
  return Packet{Value("hello"), Value(std::move(caps))};
}

Packet drawPacket(size_t pixels) {
  std::string data(pixels, '\0');
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>((i * 7) ^ (i >> 9));
  return Packet{Value("draw"),
                Value(1),
                Value(0),
                Value(0),
                Value(64),
                Value(64),
                Value("rgb24"),
                Value(std::move(data)),
                Value(5),
                Value(192),
                Value(Value::Dict{{Value("lz4"), Value(0)}})};
}

ProtocolFailure expectFailure(std::string_view bytes) {
  RecordReader reader;
  std::optional<ProtocolFailure> f;
  readAll(reader, bytes, &f);
  CPPUNIT_ASSERT_MESSAGE("expected a failure for " + toHex(bytes.substr(0, 16)), f.has_value());
  return *f;
}

}  // namespace

void RecordTest::testSmallPacketUncompressed() {
  RecordWriter w;
  w.setCompression(Compression::Lz4, 1);
  Packet ping{Value("ping"), Value(429958), Value(1795305447179LL)};
  std::string bytes = w.write(ping);
  std::string payload = rencode(Value(ping));
  // 'P', rencode flag, level 0 (small packets are never compressed), index 0, BE size.
  CPPUNIT_ASSERT_EQUAL(
      std::string("50010000") + toHex(std::string{0, 0, 0, static_cast<char>(payload.size())}),
      toHex(bytes.substr(0, 8)));
  CPPUNIT_ASSERT_EQUAL(payload, bytes.substr(8));
  RecordReader r;
  auto packets = readAll(r, bytes);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, packets.size());
  CPPUNIT_ASSERT(packets[0] == ping);
  CPPUNIT_ASSERT(r.peerEncoding() == PacketEncoding::Rencode);
  CPPUNIT_ASSERT(r.peerCompression() == Compression::None);
  CPPUNIT_ASSERT_EQUAL(size_t{0}, r.bufferedBytes());
}

void RecordTest::testLz4AndZlibRecords() {
  Packet hello = bigPacket();
  for (auto [c, level, flag] :
       {std::tuple{Compression::Lz4, 1, 0x11}, std::tuple{Compression::Lz4, 9, 0x19},
        std::tuple{Compression::Lz4, 5, 0x15}, std::tuple{Compression::Zlib, 1, 0x01},
        std::tuple{Compression::Zlib, 6, 0x06}}) {
    RecordWriter w;
    w.setCompression(c, level);
    std::string bytes = w.write(hello);
    CPPUNIT_ASSERT_EQUAL(flag, static_cast<int>(static_cast<uint8_t>(bytes[2])));
    CPPUNIT_ASSERT(bytes.size() < 8 + rencode(Value(hello)).size());
    RecordReader r;
    auto packets = readAll(r, bytes);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, packets.size());
    CPPUNIT_ASSERT(packets[0] == hello);
    CPPUNIT_ASSERT(r.peerCompression() == c);
    CPPUNIT_ASSERT_EQUAL(level, r.peerCompressionLevel());
  }
  // zlib payload is a plain zlib stream, as python's zlib.compress(data, level) makes it.
  std::string z = zlibCompress("abcabcabcabc", 1);
  CPPUNIT_ASSERT_EQUAL(std::string("7801"), toHex(z.substr(0, 2)));
}

void RecordTest::testLz4MatchesPythonLz4() {
  // Our lz4 framing (LE size + block) must be what python-lz4 (used by Xpra 3.1.3) reads and
  // writes, and at each level Xpra's mode choice gives the same bytes.
  std::string data;
  for (int i = 0; i < 2000; ++i)
    data += "xpra " + std::to_string(i % 37) + " ";
  const int levels[] = {1, 2, 3, 5, 7, 9};
  std::ostringstream script;
  script
      << "import lz4.block\n"
      << "data = bytes.fromhex('" << toHex(data) << "')\n"
      << "def xpra(level):\n"
      << "  if level >= 7: return lz4.block.compress(data, mode='high_compression', "
         "compression=level)\n"
      << "  if level <= 3: return lz4.block.compress(data, mode='fast', acceleration=8-level*2)\n"
      << "  return lz4.block.compress(data)\n";
  for (int level : levels) {
    script << "assert lz4.block.decompress(bytes.fromhex('" << toHex(lz4Compress(data, level))
           << "')) == data\n"
           << "print(xpra(" << level << ").hex())\n";
  }
  bool ok = false;
  std::string out = rdk::protocol::test::runPython(script.str(), ok);
  if (!ok && out.find("No module named") != std::string::npos) {
    std::cerr << "[skip: python3-lz4 not installed] ";
    return;
  }
  CPPUNIT_ASSERT_MESSAGE(out, ok);
  std::istringstream lines(out);
  for (int level : levels) {
    std::string theirsHex;
    lines >> theirsHex;
    CPPUNIT_ASSERT_EQUAL(data, lz4Decompress(fromHex(theirsHex)));
    CPPUNIT_ASSERT_EQUAL_MESSAGE("level " + std::to_string(level), theirsHex,
                                 toHex(lz4Compress(data, level)));
  }
}

void RecordTest::testBencodeRecords() {
  RecordWriter w;
  w.setEncoding(PacketEncoding::Bencode);
  Packet p{Value("hello"), Value(Value::Dict{{Value("version"), Value("3.1.3")}})};
  std::string bytes = w.write(p);
  CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(bytes[1]));
  CPPUNIT_ASSERT_EQUAL(std::string("l5:hellod7:version5:3.1.3ee"), bytes.substr(8));
  RecordReader r;
  auto packets = readAll(r, bytes);
  CPPUNIT_ASSERT(packets.at(0) == p);
  CPPUNIT_ASSERT(r.peerEncoding() == PacketEncoding::Bencode);
  CPPUNIT_ASSERT_THROW(w.write(Packet{Value("x"), Value()}), ProtocolError);
}

void RecordTest::testRawChunks() {
  Packet draw = drawPacket(64 * 64 * 3);
  RecordWriter w;
  w.setCompression(Compression::Lz4, 1);
  std::string bytes = w.write(draw);
  // First record: raw chunk index 7, no encoder flag, uncompressed, the pixel bytes.
  auto chunk = RecordHeader::parse(bytes);
  CPPUNIT_ASSERT(chunk.has_value());
  CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(chunk->flags));
  CPPUNIT_ASSERT_EQUAL(7, static_cast<int>(chunk->index));
  CPPUNIT_ASSERT_EQUAL(draw[7].asBytes().size(), static_cast<size_t>(chunk->size));
  std::string_view rest = std::string_view(bytes).substr(8 + chunk->size);
  auto main = RecordHeader::parse(rest);
  CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(main->index));
  Value mainPacket = rdecode(rest.substr(8));
  CPPUNIT_ASSERT(mainPacket.asList()[7] == Value(""));  // placeholder
  RecordReader r;
  auto packets = readAll(r, bytes);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, packets.size());
  CPPUNIT_ASSERT(packets[0] == draw);

  // Compressed raw chunks (Xpra compresses plain large bytes) decompress in the reader.
  w.setCompressRawChunks(true);
  std::string compressed = w.write(draw);
  CPPUNIT_ASSERT_EQUAL(0x11, static_cast<int>(static_cast<uint8_t>(compressed[2])));
  RecordReader r2;
  CPPUNIT_ASSERT(readAll(r2, compressed).at(0) == draw);

  // Three large args -> three chunks; a fourth stays inline.
  Packet many{Value("x")};
  for (int i = 0; i < 4; ++i)
    many.push_back(Value(std::string(5000, static_cast<char>('a' + i))));
  std::string manyBytes = w.write(many);
  int records = 0;
  for (std::string_view s = manyBytes; !s.empty(); ++records)
    s.remove_prefix(8 + RecordHeader::parse(s)->size);
  CPPUNIT_ASSERT_EQUAL(4, records);
  RecordReader r3;
  CPPUNIT_ASSERT(readAll(r3, manyBytes).at(0) == many);
}

void RecordTest::testRawChunkRules() {
  std::string main =
      makeRecord(kFlagRencode, 0, 0, rencode(Value(Packet{Value("x"), Value(""), Value("")})));
  std::string c1 = makeRecord(0, 0, 1, "one");
  std::string c2 = makeRecord(0, 0, 2, "two");
  RecordReader ok;
  auto packets = readAll(ok, c2 + c1 + main);
  CPPUNIT_ASSERT(packets.at(0) == Value(Packet{Value("x"), Value("one"), Value("two")}).asList());

  ProtocolFailure dup = expectFailure(c1 + c1);
  CPPUNIT_ASSERT(dup.kind == ProtocolFailure::Kind::Invalid);
  CPPUNIT_ASSERT(dup.message.find("duplicate") != std::string::npos);
  ProtocolFailure four = expectFailure(makeRecord(0, 0, 1, "a") + makeRecord(0, 0, 2, "b") +
                                       makeRecord(0, 0, 3, "c") + makeRecord(0, 0, 4, "d"));
  CPPUNIT_ASSERT(four.kind == ProtocolFailure::Kind::Invalid);
  CPPUNIT_ASSERT(four.message.find("too many raw chunks") != std::string::npos);
  ProtocolFailure outside = expectFailure(makeRecord(0, 0, 5, "a") + main);
  CPPUNIT_ASSERT(outside.kind == ProtocolFailure::Kind::Invalid);
  ProtocolFailure bigIndex = expectFailure(makeRecord(0, 0, 16, "a"));
  CPPUNIT_ASSERT(bigIndex.kind == ProtocolFailure::Kind::Invalid);
}

void RecordTest::testAliases() {
  // The peer advertised {"draw": 35, "ping": 7}: we send those as ints...
  RecordWriter w;
  w.setAliases({{35, "draw"}, {7, "ping"}});
  std::string bytes = w.write(Packet{Value("ping"), Value(5)});
  CPPUNIT_ASSERT(rdecode(std::string_view(bytes).substr(8)).asList()[0] == Value(7));
  // ...and a reader holding our own table turns them back into names.
  RecordReader r;
  r.setAliases({{7, "ping"}});
  std::string unknown = makeRecord(kFlagRencode, 0, 0, rencode(Value(Packet{Value(99)})));
  auto packets = readAll(r, bytes + unknown);
  CPPUNIT_ASSERT_EQUAL(size_t{2}, packets.size());
  CPPUNIT_ASSERT(packets[0][0] == Value("ping"));
  CPPUNIT_ASSERT(packets[1][0] == Value("99"));  // unknown alias: its decimal text
  CPPUNIT_ASSERT(
      expectFailure(makeRecord(kFlagRencode, 0, 0, rencode(Value(Packet{Value(1.5)})))).kind ==
      ProtocolFailure::Kind::Invalid);
}

void RecordTest::testByteByByteFeeding() {
  RecordWriter w;
  w.setCompression(Compression::Zlib, 3);
  std::string stream =
      w.write(bigPacket()) + w.write(drawPacket(9000)) + w.write(Packet{Value("bell")});
  RecordReader r;
  std::vector<Packet> packets;
  for (char c : stream) {
    auto f = r.feed(std::string_view(&c, 1), [&](Packet&& p) { packets.push_back(std::move(p)); });
    CPPUNIT_ASSERT(!f.has_value());
  }
  CPPUNIT_ASSERT_EQUAL(size_t{3}, packets.size());
  CPPUNIT_ASSERT(packets[1] == drawPacket(9000));
  CPPUNIT_ASSERT_EQUAL(size_t{0}, r.bufferedBytes());
  // Pieces that end mid-record, then complete several records at once (both reader paths).
  for (size_t piece : {size_t{5}, size_t{1000}, size_t{4099}, stream.size() - 1}) {
    RecordReader chunked;
    std::vector<Packet> got;
    for (size_t at = 0; at < stream.size(); at += piece) {
      CPPUNIT_ASSERT(!chunked.feed(std::string_view(stream).substr(at, piece),
                                   [&](Packet&& p) { got.push_back(std::move(p)); }));
    }
    CPPUNIT_ASSERT_EQUAL(size_t{3}, got.size());
    CPPUNIT_ASSERT(got[1] == drawPacket(9000));
    CPPUNIT_ASSERT(got[2] == packets[2]);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, chunked.bufferedBytes());
  }
}

void RecordTest::testHeaderFailures() {
  using K = ProtocolFailure::Kind;
  auto huge = std::string("P\x01\x00\x00\x10\x00\x00\x01", 8);  // 256 MiB + 1
  ProtocolFailure f = expectFailure(huge);
  CPPUNIT_ASSERT(f.kind == K::Gibberish);
  CPPUNIT_ASSERT(f.message.find("invalid size") != std::string::npos);
  CPPUNIT_ASSERT(expectFailure(std::string("P\x01\x00\x00\x01\x00\x00\x01", 8)).kind ==
                 K::Invalid);  // > 16 MiB
  CPPUNIT_ASSERT(expectFailure(std::string("P\x03\x00\x00\x00\x00\x00\x01", 8)).kind ==
                 K::Gibberish);  // cipher
  CPPUNIT_ASSERT(expectFailure(std::string("P\x04\x00\x00\x00\x00\x00\x01", 8)).kind ==
                 K::Invalid);  // yaml
  CPPUNIT_ASSERT(expectFailure(std::string("P\x21\x00\x00\x00\x00\x00\x01", 8)).kind ==
                 K::Invalid);  // unknown
  CPPUNIT_ASSERT(expectFailure(std::string("P\x01\x21\x00\x00\x00\x00\x01", 8)).kind ==
                 K::Invalid);  // lzo
  CPPUNIT_ASSERT(expectFailure(std::string("P\x01\x41\x00\x00\x00\x00\x01", 8)).kind ==
                 K::Invalid);  // brotli
  // Corrupt compressed payload and undecodable payload are gibberish.
  CPPUNIT_ASSERT(expectFailure(makeRecord(1, 0x11, 0, "\x05\x00\x00\x00zzzz")).kind ==
                 K::Gibberish);
  CPPUNIT_ASSERT(expectFailure(makeRecord(1, 0x01, 0, "not zlib")).kind == K::Gibberish);
  CPPUNIT_ASSERT(expectFailure(makeRecord(1, 0, 0, "\x7f")).kind == K::Gibberish);
  CPPUNIT_ASSERT(expectFailure(makeRecord(0, 0, 0, "i1")).kind == K::Gibberish);
  CPPUNIT_ASSERT(expectFailure(makeRecord(1, 0, 0, rencode(Value(1)))).kind ==
                 K::Invalid);  // not a list
  // The failure sticks.
  RecordReader r;
  std::optional<ProtocolFailure> first;
  readAll(r, "GET / HTTP/1.1\r\n\r\n", &first);
  CPPUNIT_ASSERT(first && first->message.find("HTTP GET request") != std::string::npos);
  std::optional<ProtocolFailure> again;
  auto none = readAll(r, makeRecord(1, 0, 0, rencode(Value(Packet{Value("ping")}))), &again);
  CPPUNIT_ASSERT(none.empty());
  CPPUNIT_ASSERT_EQUAL(first->message, again->message);
}

void RecordTest::testGuessProtocol() {
  CPPUNIT_ASSERT_EQUAL(std::string("SSL/TLS packet?"), guessProtocol("\x16\x03\x01\x02"));
  CPPUNIT_ASSERT_EQUAL(std::string("SSH packet"), guessProtocol("SSH-2.0-OpenSSH_9.2"));
  CPPUNIT_ASSERT_EQUAL(std::string("HTTP POST request"), guessProtocol("POST /x HTTP/1.1"));
  CPPUNIT_ASSERT_EQUAL(std::string("character 0x41, not an xpra client?"), guessProtocol("AB"));
  CPPUNIT_ASSERT(
      expectFailure(std::string("\x16\x03\x01\x02\x00\x01\x00\x00", 8)).message.find("SSL") !=
      std::string::npos);
}

void RecordTest::testDecompressionLimits() {
  // lz4 declaring 300 MiB: refused before allocation.
  std::string lie("\x00\x00\xc0\x12", 4);
  lie += std::string(64, '\0');
  CPPUNIT_ASSERT_THROW(lz4Decompress(lie), ProtocolError);
  // A declared size impossible for the block length (a 10-byte block cannot expand to 1 MiB).
  std::string impossible("\x00\x00\x10\x00", 4);
  impossible += std::string(10, '\0');
  CPPUNIT_ASSERT_THROW(lz4Decompress(impossible), ProtocolError);
  // zlib: output beyond the limit is refused even though the input is tiny.
  std::string zeros(1 << 20, '\0');
  std::string bomb = zlibCompress(zeros, 9);
  CPPUNIT_ASSERT_THROW(zlibDecompress(bomb, 1000), ProtocolError);
  CPPUNIT_ASSERT_EQUAL(zeros.size(), zlibDecompress(bomb).size());
  CPPUNIT_ASSERT_THROW(zlibDecompress(bomb.substr(0, bomb.size() - 3)),
                       ProtocolError);  // truncated
}

void RecordTest::testTruncatedStreamsNeverFail() {
  RecordWriter w;
  w.setCompression(Compression::Lz4, 1);
  std::string stream = w.write(bigPacket()) + w.write(drawPacket(5000));
  for (size_t cut = 0; cut < stream.size(); cut += 7) {
    RecordReader r;
    std::optional<ProtocolFailure> f;
    auto packets = readAll(r, std::string_view(stream).substr(0, cut), &f);
    CPPUNIT_ASSERT(!f.has_value());  // a prefix is just incomplete
    CPPUNIT_ASSERT(packets.size() <= 1);
  }
}

void RecordTest::testRandomStreams() {
  std::mt19937 rng(12345);
  RecordWriter w;
  w.setCompression(Compression::Lz4, 1);
  std::string valid = w.write(bigPacket()) + w.write(drawPacket(6000));
  int failures = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string data;
    if (round % 2 == 0) {
      data.resize(rng() % 300);
      for (auto& c : data)
        c = static_cast<char>(rng());
      if (round % 4 == 0 && data.size() >= 8)
        data[0] = 'P';
    } else {
      data = valid;  // valid stream with a few flipped bytes
      for (int k = 0; k < 3; ++k)
        data[rng() % data.size()] = static_cast<char>(rng());
    }
    RecordReader r;
    std::optional<ProtocolFailure> f;
    readAll(r, data, &f);
    if (f) {
      ++failures;
      CPPUNIT_ASSERT(!f->message.empty());
    }
  }
  CPPUNIT_ASSERT(failures > 500);
}

void RecordTest::testCallbackExceptionKeepsState() {
  RecordWriter w;
  std::string two = w.write(Packet{Value("a")}) + w.write(Packet{Value("b")});
  RecordReader r;
  std::vector<std::string> seen;
  auto handler = [&](Packet&& p) {
    seen.push_back(p[0].asBytes());
    if (seen.size() == 1)
      throw std::runtime_error("handler failed");
  };
  CPPUNIT_ASSERT_THROW(r.feed(two, handler), std::runtime_error);
  CPPUNIT_ASSERT(!r.feed("", handler).has_value());  // continues with the second packet
  CPPUNIT_ASSERT_EQUAL(size_t{2}, seen.size());
  CPPUNIT_ASSERT_EQUAL(std::string("b"), seen[1]);
}
