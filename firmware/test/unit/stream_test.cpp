// The SSE parser and the chunked decoder: every split of the input across reads, CR/LF/CRLF line
// ends, comments, oversized lines and data, malformed chunk sizes (under ASan + UBSan).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../../src/core/chunked.h"
#include "../../src/core/sse.h"

using namespace fl;

namespace {

struct Collect final : SseHandler {
  std::vector<std::pair<std::string, std::string>> events;
  int oversized = 0;
  void onSseEvent(const char* e, const char* d, size_t n) override { events.emplace_back(e, std::string(d, n)); }
  void onSseOversized() override { ++oversized; }
};

std::vector<std::pair<std::string, std::string>> parseSplit(const std::string& text, size_t a, size_t b, int* oversized = nullptr) {
  static SseParser parser;  // 2 KiB of buffers: static like on the board
  parser.reset();
  Collect c;
  // Three pieces, each its own heap block, so ASan flags any read past a piece.
  const size_t cuts[] = {0, a, b, text.size()};
  for (int i = 0; i < 3; ++i) {
    std::vector<char> piece(text.begin() + static_cast<long>(cuts[i]), text.begin() + static_cast<long>(cuts[i + 1]));
    parser.feed(piece.data(), piece.size(), c);
  }
  if (oversized) *oversized = c.oversized;
  return c.events;
}

}  // namespace

TEST_CASE("SSE events come out the same however the bytes are split") {
  const std::string variants[] = {
      "event: put\ndata: {\"path\":\"/\",\"data\":1}\n\nevent: keep-alive\ndata: null\n\n",
      "event: put\r\ndata: {\"path\":\"/\",\"data\":1}\r\n\r\nevent: keep-alive\r\ndata: null\r\n\r\n",
      "event: put\rdata: {\"path\":\"/\",\"data\":1}\r\revent: keep-alive\rdata: null\r\r",
      ": comment\nevent:put\ndata:{\"path\":\"/\",\"data\":1}\n\nevent: keep-alive\ndata: null\n\n",
  };
  for (const std::string& text : variants) {
    for (size_t a = 0; a <= text.size(); ++a) {
      for (size_t b = a; b <= text.size(); b += 3) {
        const auto events = parseSplit(text, a, b);
        CAPTURE(text);
        CAPTURE(a);
        CAPTURE(b);
        REQUIRE(events.size() == 2);
        CHECK(events[0].first == "put");
        CHECK(events[0].second == "{\"path\":\"/\",\"data\":1}");
        CHECK(events[1].first == "keep-alive");
        CHECK(events[1].second == "null");
      }
    }
  }
}

TEST_CASE("SSE: multi-line data, default event name, an unfinished event is held back") {
  auto events = parseSplit("data: a\ndata: b\n\nevent: put\ndata: {", 5, 20);
  REQUIRE(events.size() == 1);
  CHECK(events[0].first == "message");
  CHECK(events[0].second == "a\nb");
}

TEST_CASE("SSE: an oversized line or data is skipped and reported, the next event still parses") {
  const std::string big(kSseLineCap + 10, 'x');
  int oversized = 0;
  auto events = parseSplit("event: put\ndata: " + big + "\n\nevent: put\ndata: ok\n\n", 7, 600, &oversized);
  CHECK(oversized == 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].second == "ok");
  // Data that fits line by line but not in total.
  std::string many = "event: put\n";
  for (int i = 0; i < 3; ++i) many += "data: " + std::string(kSseDataCap / 2, 'y') + "\n";
  many += "\nevent: patch\ndata: 2\n\n";
  events = parseSplit(many, 1, 2, &oversized);
  CHECK(oversized == 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].first == "patch");
  // An event name longer than its buffer.
  events = parseSplit("event: " + std::string(kSseEventCap + 1, 'e') + "\ndata: 1\n\n", 3, 9, &oversized);
  CHECK(oversized == 1);
  CHECK(events.empty());
}

namespace {
std::string dechunk(const std::string& in, size_t split, bool* failed, bool* done) {
  ChunkedDecoder d;
  std::string out;
  size_t at = 0;
  for (size_t end : {split, in.size()}) {
    std::vector<char> piece(in.begin() + static_cast<long>(at), in.begin() + static_cast<long>(end));
    std::vector<char> buf(piece.size() + 1);
    out.append(buf.data(), d.feed(piece.data(), piece.size(), buf.data()));
    at = end;
  }
  *failed = d.failed();
  *done = d.done();
  return out;
}
}  // namespace

TEST_CASE("chunked decoding across every split") {
  const std::string in = "5\r\nhello\r\n1A;ext=1\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (size_t split = 0; split <= in.size(); ++split) {
    bool failed, done;
    CAPTURE(split);
    CHECK(dechunk(in, split, &failed, &done) == "hello abcdefghijklmnopqrstuvwxy");
    CHECK_FALSE(failed);
    CHECK(done);
  }
}

TEST_CASE("malformed chunked input fails instead of running on") {
  const char* bad[] = {"x\r\n", "5\r\nhelloX\r\n", "5\nhello", "\r\n", "123456789\r\n", "5\r\nhello\rX"};
  for (const char* in : bad) {
    bool failed, done;
    CAPTURE(in);
    dechunk(in, 1, &failed, &done);
    CHECK(failed);
    CHECK_FALSE(done);
  }
  bool failed, done;
  CHECK(dechunk("5\r\nhel", 2, &failed, &done) == "hel");  // truncated: waits for more
  CHECK_FALSE(failed);
  CHECK_FALSE(done);
}
