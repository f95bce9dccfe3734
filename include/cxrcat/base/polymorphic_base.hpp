// SPDX-License-Identifier: Apache-2.0
// The base of every class that is used through a pointer to its base (ProviderClient, InstallStore,
// ProgressSink, the download loop's tasks): a virtual destructor, and neither copies nor moves, which
// would slice the object or leave a pointer held elsewhere (by libcurl, by a session) dangling.
#pragma once

namespace cxrcat {

class PolymorphicBase {
  public:
    PolymorphicBase() = default;
    virtual ~PolymorphicBase() = default;
    PolymorphicBase(const PolymorphicBase&) = delete;
    PolymorphicBase& operator=(const PolymorphicBase&) = delete;
    PolymorphicBase(PolymorphicBase&&) = delete;
    PolymorphicBase& operator=(PolymorphicBase&&) = delete;
};

} // namespace cxrcat
