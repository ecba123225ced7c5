#pragma once
// A message through CAF's binary serializer and back, as it crosses nodes.

#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

namespace stagehand::test {

template <class T>
T round_trip(caf::actor_system& sys, T x) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  if (auto err = sink(x))
    BOOST_FAIL("cannot serialize: " << sys.render(err));
  T y;
  caf::binary_deserializer source{sys, buf};
  if (auto err = source(y))
    BOOST_FAIL("cannot deserialize: " << sys.render(err));
  return y;
}

} // namespace stagehand::test
