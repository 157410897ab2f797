// doctest's runner (Debian doctest-dev). Tests may use the heap and exceptions; the core does not.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
