// Database locations of secrets.h and the shard the directory names (model/src/instance-url.ts
// siblingInstanceUrl gives the same answers).
#include <doctest/doctest.h>

#include <string>

#include "../../src/core/shard_url.h"

using namespace fl;

TEST_CASE("parses the emulator and production forms of a database URL") {
  DbLocation l;
  REQUIRE(parseDbLocation("http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb", nullptr, &l));
  CHECK(std::string(l.origin) == "http://127.0.0.1:9000");
  CHECK(std::string(l.ns) == "demo-firelink-default-rtdb");
  REQUIRE(parseDbLocation("http://192.168.1.20:9000?ns=a1", nullptr, &l));
  CHECK(std::string(l.ns) == "a1");
  REQUIRE(parseDbLocation("http://127.0.0.1:9000", "demo-firelink-default-rtdb", &l));
  CHECK(std::string(l.ns) == "demo-firelink-default-rtdb");
  REQUIRE(parseDbLocation("https://p-default-rtdb.firebaseio.com", nullptr, &l));
  CHECK(std::string(l.origin) == "https://p-default-rtdb.firebaseio.com");
  CHECK(std::string(l.ns).empty());
  REQUIRE(parseDbLocation("https://p-default-rtdb.europe-west1.firebasedatabase.app/", nullptr, &l));
  CHECK(std::string(l.origin) == "https://p-default-rtdb.europe-west1.firebasedatabase.app");
}

TEST_CASE("refuses what is not a database URL") {
  DbLocation l;
  const char* const bad[] = {
      nullptr,
      "ftp://127.0.0.1:9000",
      "http://127.0.0.1:9000",                       // emulator without a namespace
      "http://127.0.0.1:9000/devices?ns=a",          // a path
      "http://127.0.0.1:9000/?ns=Bad_Name",          // not an instance name
      "http://127.0.0.1:9000/?ns=a&x=1",             // more than ns
      "https://example.com",                         // not a database host
      "https://p.firebaseio.com.evil.example",       // suffix must match exactly
      "http://p-default-rtdb.firebaseio.com",        // production is https
  };
  for (const char* url : bad) {
    CAPTURE(url ? url : "(null)");
    CHECK_FALSE(parseDbLocation(url, nullptr, &l));
  }
}

TEST_CASE("the shard's location has the form of the directory's") {
  DbLocation dir, shard;
  REQUIRE(parseDbLocation("http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb", nullptr, &dir));
  REQUIRE(siblingLocation(dir, "demo-firelink-shard-1", &shard));
  CHECK(std::string(shard.origin) == "http://127.0.0.1:9000");
  CHECK(std::string(shard.ns) == "demo-firelink-shard-1");
  REQUIRE(parseDbLocation("https://p-default-rtdb.firebaseio.com", nullptr, &dir));
  REQUIRE(siblingLocation(dir, "p-shard-2", &shard));
  CHECK(std::string(shard.origin) == "https://p-shard-2.firebaseio.com");
  REQUIRE(parseDbLocation("https://p-default-rtdb.europe-west1.firebasedatabase.app", nullptr, &dir));
  REQUIRE(siblingLocation(dir, "p-shard-2", &shard));
  CHECK(std::string(shard.origin) == "https://p-shard-2.europe-west1.firebasedatabase.app");
  CHECK(sameLocation(shard, shard));
  CHECK_FALSE(sameLocation(dir, shard));
  CHECK_FALSE(siblingLocation(dir, "-bad", &shard));
  CHECK_FALSE(siblingLocation(dir, "", &shard));
  CHECK_FALSE(siblingLocation(dir, std::string(64, 'a').c_str(), &shard));
}
