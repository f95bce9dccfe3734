// SPDX-License-Identifier: Apache-2.0
// S3's XML answers (ListObjectsV2, an <Error>, CreateMultipartUpload, ListParts) are flat: no nesting
// beyond <Contents>/<Part>, so they are read here by tag. Used by the S3 client and by the IDC
// bucket listing alike.
#include "net/s3_listing.hpp"

#include <charconv>

namespace cxrcat::net {

namespace {

constexpr std::size_t k_md5_hex_length = 32;

// The text between <tag> and </tag> at or after `from` within [from, end), or nullopt.
std::optional<std::string_view> xml_element(std::string_view xml, std::string_view tag, std::size_t from = 0,
                                            std::size_t* after = nullptr) {
    std::string open = "<" + std::string(tag) + ">";
    std::string close = "</" + std::string(tag) + ">";
    std::size_t start = xml.find(open, from);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    start += open.size();
    std::size_t stop = xml.find(close, start);
    if (stop == std::string_view::npos) {
        return std::nullopt;
    }
    if (after != nullptr) {
        *after = stop + close.size();
    }
    return xml.substr(start, stop - start);
}

// XML character data with its five entities and numeric references decoded (S3 writes ETag
// quotes as &quot;).
std::string xml_unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out.push_back(text[i]);
            continue;
        }
        std::size_t semicolon = text.find(';', i);
        if (semicolon == std::string_view::npos) {
            out.push_back('&');
            continue;
        }
        std::string_view entity = text.substr(i + 1, semicolon - i - 1);
        if (entity == "quot") {
            out.push_back('"');
        } else if (entity == "amp") {
            out.push_back('&');
        } else if (entity == "lt") {
            out.push_back('<');
        } else if (entity == "gt") {
            out.push_back('>');
        } else if (entity == "apos") {
            out.push_back('\'');
        } else if (entity.size() > 1 && entity[0] == '#') {
            bool hex = entity[1] == 'x' || entity[1] == 'X';
            std::string_view digits = entity.substr(hex ? 2 : 1);
            unsigned value = 0;
            auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
            if (error != std::errc() || end != digits.data() + digits.size() || value > 0x7F) {
                out.append(text.substr(i, semicolon - i + 1)); // only ASCII references occur in listings
            } else {
                out.push_back(static_cast<char>(value));
            }
        } else {
            out.append(text.substr(i, semicolon - i + 1));
        }
        i = semicolon;
    }
    return out;
}

bool listing_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

std::string s3_xml_text(std::string_view xml, std::string_view tag) {
    auto element = xml_element(xml, tag);
    return element ? xml_unescape(*element) : std::string{};
}

std::string md5_from_etag(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        etag = etag.substr(1, etag.size() - 2);
    }
    if (etag.size() != k_md5_hex_length) {
        return {}; // "<hex>-<parts>" of a multipart upload is no MD5 of the object
    }
    std::string hex;
    for (char c : etag) {
        if (!listing_hex_digit(c)) {
            return {};
        }
        hex.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return hex;
}

Result<S3ListingPage> parse_s3_listing(std::string_view body) {
    if (body.find("<ListBucketResult") == std::string_view::npos) {
        return Error(ErrorCode::network, "the bucket listing is not a ListObjectsV2 answer (no <ListBucketResult>)");
    }
    S3ListingPage page;
    std::size_t at = 0;
    std::size_t after = 0;
    while (auto contents = xml_element(body, "Contents", at, &after)) {
        at = after;
        auto key = xml_element(*contents, "Key");
        if (!key || key->empty()) {
            return Error(ErrorCode::network, "the bucket listing has an object without a <Key>");
        }
        BucketObject object;
        object.name = xml_unescape(*key);
        if (auto size = xml_element(*contents, "Size")) {
            std::uint64_t value = 0;
            auto [end, error] = std::from_chars(size->data(), size->data() + size->size(), value);
            if (error == std::errc() && end == size->data() + size->size()) {
                object.size = value;
            }
        }
        if (auto etag = xml_element(*contents, "ETag")) {
            object.md5 = md5_from_etag(xml_unescape(*etag));
        }
        page.objects.push_back(std::move(object));
    }
    // <IsTruncated> and the token follow the header elements; the last <Contents> ends before them
    // or after them, so search the whole body outside Contents: keys never contain raw '<'.
    if (auto truncated = xml_element(body, "IsTruncated")) {
        if (*truncated != "true" && *truncated != "false") {
            return Error(ErrorCode::network, "the bucket listing's <IsTruncated> is neither true nor false");
        }
        page.truncated = *truncated == "true";
    }
    // A token means "more follows" only on a truncated page; elsewhere it would restart the listing.
    if (auto token = xml_element(body, "NextContinuationToken"); token && page.truncated) {
        page.next_continuation_token = xml_unescape(*token);
    }
    return page;
}

} // namespace cxrcat::net
