// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/error.hpp"

namespace cxrcat {

std::string_view describe(ErrorCode code) {
    switch (code) {
    case ErrorCode::ok: return "success";
    case ErrorCode::internal: return "internal error";
    case ErrorCode::usage: return "usage error";
    case ErrorCode::not_found: return "unknown dataset or file";
    case ErrorCode::access_denied: return "access not granted";
    case ErrorCode::integrity: return "integrity failure";
    case ErrorCode::network: return "network failure";
    case ErrorCode::manual_step: return "manual step needed";
    case ErrorCode::local_io: return "local I/O failure";
    case ErrorCode::invalid_catalog: return "invalid catalog";
    }
    return "internal error";
}

} // namespace cxrcat
