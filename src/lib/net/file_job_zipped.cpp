// SPDX-License-Identifier: Apache-2.0
// FileJob, zipped in place: a provider that may send a file as a zip holding it alone
// (TransferRequest::zipped_member; single_member_zip.hpp says where this is seen).
#include "archive/single_member_zip.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "net/file_job.hpp"
#include "verify/file_hash.hpp"

namespace cxrcat::net {

namespace {

// kagglehub's own test: the URL the download ended at names "<file>.zip"
// (Kaggle/kagglehub:src/kagglehub/clients.py `download_file`).
bool url_names_zip_of(const std::string& url, const std::string& member) {
    std::string path = url.substr(0, url.find_first_of("?#"));
    std::string suffix = "/" + member + ".zip";
    return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

bool FileJob::zip_in_place() const {
    if (m_request.zipped_member.empty()) {
        return false;
    }
    if (m_resume_from == 0) {
        return starts_with_zip_magic(std::string_view(m_head));
    }
    return m_part && starts_with_zip_magic(m_part->fd());
}

bool FileJob::arrived_zipped(std::uint64_t size) const {
    if (m_request.zipped_member.empty() || !m_part || !starts_with_zip_magic(m_part->fd())) {
        return false;
    }
    if (m_request.expected_kind == PayloadKind::zip && !m_total && m_request.expected_size &&
        size < *m_request.expected_size) {
        return false; // a zip cut short with no Content-Length: resumed as any short body
    }
    if (m_request.expected_size) {
        // The listing's size decides: a zip of the file is never the file's own size, and a file
        // that is itself a zip (named .zip, or a zip-based format such as .npz) arrives at its size.
        return size != *m_request.expected_size;
    }
    // No size listed: a zip where the name promises something else, or the URL kagglehub checks.
    if (m_request.expected_kind != PayloadKind::zip && m_request.expected_kind != PayloadKind::unknown) {
        return true;
    }
    char* effective = nullptr;
    return curl_easy_getinfo(m_easy.get(), CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr &&
           url_names_zip_of(effective, m_request.zipped_member);
}

AttemptVerdict FileJob::install_zipped_member(const std::string& where) {
    std::filesystem::path work = m_request.destination;
    work += ".cxrcat-unzip";
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
    auto refuse = [&](Error error) {
        std::filesystem::remove_all(work, ignored);
        m_part->discard();
        m_part.reset();
        return fail(std::move(error), true);
    };
    std::string zipped_note = "the file arrived as a zip holding it alone (" + where + "); its member '" +
                              m_request.zipped_member + "' was checked";
    auto unpacked = unpack_single_member(m_part->part_path(), m_request.zipped_member, work, m_request.expected_size,
                                         m_request.display_path);
    if (!unpacked) {
        Error error = unpacked.error();
        if (error.code() != ErrorCode::integrity) {
            std::filesystem::remove_all(work, ignored);
            return fail(std::move(error), false); // local I/O: the part stays for the next run
        }
        return refuse(error.note(zipped_note));
    }
    auto hashed = hash_file(unpacked->path, algorithms());
    if (!hashed) {
        std::filesystem::remove_all(work, ignored);
        return fail(hashed.error(), false);
    }
    if (auto mismatch = integrity_error(hashed->size, hashed->digests, where)) {
        return refuse(mismatch->note(zipped_note));
    }
    // The member takes the part's place, so that InstallQueue makes it durable and installs it as
    // any verified part; the zip's resume record no longer describes what the part holds.
    m_part->remove_meta();
    m_part.reset();
    std::filesystem::path part_path = m_request.destination;
    part_path += ".part";
    std::error_code renamed;
    std::filesystem::rename(unpacked->path, part_path, renamed);
    std::filesystem::remove_all(work, ignored);
    if (renamed) {
        return fail(Error(ErrorCode::local_io, "cannot move the unzipped " + m_request.display_path + " to " +
                                                   part_path.string() + ": " + renamed.message()),
                    false);
    }
    auto member = PartFile::open(m_request.destination);
    if (!member) {
        return fail(member.error(), false);
    }
    m_verified_part = std::move(*member);
    m_outcome.size = hashed->size;
    m_outcome.digests = hashed->digests;
    m_outcome.error.reset();
    return AttemptVerdict::installing;
}

} // namespace cxrcat::net
