// SPDX-License-Identifier: Apache-2.0
// Private: the message of a Hugging Face Hub error answer (provider-apis.md §4.5).
#pragma once

#include <string>
#include <string_view>

namespace cxrcat::providers {

// The server's message in a Hub error answer, collected as huggingface_hub does
// (huggingface/huggingface_hub:src/huggingface_hub/utils/_http.py `_format`): the X-Error-Message
// header, then the body's "error" (a string, or a list of strings; "error: error_description" when
// both are given), a lone "error_description", and every "errors"[].message; a body that is not
// JSON (and not an HTML page) counts as the message. Parts are stripped, duplicates dropped, and
// the rest joined with "; ". "" when the answer says nothing. Control characters are not removed.
[[nodiscard]] std::string hub_server_message(std::string_view x_error_message, std::string_view content_type,
                                             std::string_view body);

} // namespace cxrcat::providers
