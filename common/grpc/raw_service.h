#pragma once

namespace lms::grpc_util {

// Stacks gRPC's generated per-method mixins (`Service::WithRawCallbackMethod_X<Base>`) on
// a base service, so a handler lists its raw methods one per line instead of nesting them:
//   using RawFoo = RawMethods<v1::Foo::Service, v1::Foo::WithRawCallbackMethod_A,
//                             v1::Foo::WithRawCallbackMethod_B>::type;
template <typename Base, template <typename> class... Mixins>
struct RawMethods;

template <typename Base>
struct RawMethods<Base> {
  using type = Base;
};

template <typename Base, template <typename> class First, template <typename> class... Rest>
struct RawMethods<Base, First, Rest...> {
  using type = First<typename RawMethods<Base, Rest...>::type>;
};

}  // namespace lms::grpc_util
