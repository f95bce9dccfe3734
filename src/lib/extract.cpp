// SPDX-License-Identifier: Apache-2.0
// The only file that talks to libarchive.
//
// Threat model: the archive is hostile, the destination and its parent are ours. Every entry is
// checked before anything is created, the staging directory is private (mkdtemp, 0700) and the
// in-memory tree below is an exact model of it, so no path we open in staging can cross a symlink
// we did not vet. Nothing reaches destination until the whole archive has been read, checked and
// flushed to disk.
#include "cxrcat/extract.hpp"

#include "cxrcat/digest.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace cxrcat {

namespace {

namespace fs = std::filesystem;

// Big writes cost far less per byte than the 10-64 KiB blocks decompressors hand out.
constexpr std::size_t k_write_buffer_size = std::size_t{1} << 20U;
// libarchive's read block for the archive file.
constexpr std::size_t k_read_block_size = std::size_t{1} << 20U;
// Same bound as the kernel's ELOOP.
constexpr int k_max_symlink_hops = 40;
// PATH_MAX on Linux; a longer symlink target cannot be followed anyway.
constexpr std::size_t k_max_link_target = 4096;
// Keeps the staging directory's name under NAME_MAX whatever the destination is called.
constexpr std::size_t k_max_staging_stem = 200;

struct ArchiveReadDeleter {
    // archive_read_free's result is ignored: a destructor has no one to report to, and every
    // successful extraction has already checked archive_read_close.
    void operator()(archive* handle) const noexcept { archive_read_free(handle); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

// An owned file descriptor. Move-only; never converts to int implicitly.
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    // Closes now and returns close()'s result, which can report a write lost on the way to disk.
    int close_now() { return ::close(std::exchange(m_fd, -1)); }

  private:
    void reset() {
        if (m_fd >= 0) {
            ::close(std::exchange(m_fd, -1));
        }
    }
    int m_fd = -1;
};

// Orders paths component by component ("a" < "a/b" < "a-b"), so a directory's whole subtree
// follows it contiguously in a map.
struct ComponentLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
        auto rank = [](char c) { return c == '/' ? 0 : static_cast<int>(static_cast<unsigned char>(c)) + 1; };
        std::size_t n = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            if (rank(a[i]) != rank(b[i])) {
                return rank(a[i]) < rank(b[i]);
            }
        }
        return a.size() < b.size();
    }
};

bool is_under(std::string_view path, std::string_view dir) {
    return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

std::string_view parent_of(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

// Names from archives go into messages; keep control bytes from reaching a terminal.
std::string quote_name(std::string_view name) {
    static constexpr std::string_view k_hex = "0123456789abcdef";
    std::string out = "'";
    for (char c : name) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20U || byte == 0x7fU) {
            out += "\\x";
            out += k_hex[byte >> 4U];
            out += k_hex[byte & 0x0fU];
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

// libarchive and strerror capitalise; our messages do not (but leave "ZIP ..." alone).
std::string lower_first(std::string text) {
    if (text.size() >= 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

std::string describe_errno(int error_number) {
    switch (error_number) {
    case ENOSPC: return "disk full";
    case EDQUOT: return "disk quota exceeded";
    case EFBIG: return "file too large (file size limit exceeded)";
    case EACCES:
    case EPERM: return "permission denied";
    case EROFS: return "read-only file system";
    default: return lower_first(std::generic_category().message(error_number)); // strerror is not thread-safe
    }
}

Error io_error(std::string_view what, const fs::path& path, int error_number) {
    return {ErrorCode::local_io, std::string(what) + " " + path.string() + ": " + describe_errno(error_number)};
}

// The one place that turns libarchive's error state into an Error. context names the entry.
Error archive_failure(archive* handle, const std::string& archive_name, std::string_view context) {
    int number = archive_errno(handle);
    const char* text = archive_error_string(handle);
    std::string message = "cannot extract " + archive_name + ": ";
    if (!context.empty()) {
        message += std::string(context) + ": ";
    }
    message += lower_first(text != nullptr ? text : "unknown libarchive error");
    switch (number) {
    // The archive file itself could not be read: the disk, not the data, is at fault.
    case EIO:
    case EACCES:
    case EPERM:
    case ENOENT:
    case EISDIR:
    case ENFILE:
    case EMFILE: return {ErrorCode::local_io, std::move(message)};
    // ARCHIVE_ERRNO_PROGRAMMER: misuse of the API, our bug.
    case EINVAL: return {ErrorCode::internal, std::move(message)};
    // ARCHIVE_ERRNO_FILE_FORMAT, ARCHIVE_ERRNO_MISC, and allocation failures driven by the
    // archive's own headers: the bytes are bad.
    default:
        return Error(ErrorCode::integrity, std::move(message),
                     {"the archive is damaged, truncated or not an archive; delete it and fetch it again"});
    }
}

const char* entry_pathname(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    return name != nullptr ? name : archive_entry_pathname_utf8(entry);
}

const char* entry_symlink(archive_entry* entry) {
    const char* target = archive_entry_symlink(entry);
    return target != nullptr ? target : archive_entry_symlink_utf8(entry);
}

const char* entry_hardlink(archive_entry* entry) {
    const char* target = archive_entry_hardlink(entry);
    return target != nullptr ? target : archive_entry_hardlink_utf8(entry);
}

std::vector<std::string_view> split_components(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        std::string_view part = path.substr(start, end - start);
        if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = end + 1;
    }
    return parts;
}

enum class PathCheck { ok, absolute, escapes, dot_dot };

// Normalises an archive path to "a/b/c" (no empty or "." components) into out.
PathCheck normalize_entry_path(std::string_view raw, std::string& out) {
    out.clear();
    if (!raw.empty() && raw.front() == '/') {
        return PathCheck::absolute;
    }
    int depth = 0;
    bool dot_dot = false;
    for (std::string_view part : split_components(raw)) {
        if (part == "..") {
            dot_dot = true;
            if (--depth < 0) {
                return PathCheck::escapes;
            }
            continue;
        }
        ++depth;
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return dot_dot ? PathCheck::dot_dot : PathCheck::ok;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return out;
}

std::string format_ratio(double ratio) {
    std::ostringstream out;
    out << ratio;
    return out.str();
}

struct Content {
    std::uint64_t size = 0;
    std::string sha256;
};

enum class NodeKind { directory, file, symlink };

// What staging holds at one path.
struct Node {
    NodeKind kind = NodeKind::directory;
    std::size_t content = 0; // index into m_contents for files (shared by hardlinks)
    std::string target;      // for symlinks
};

class Extraction {
  public:
    Extraction(fs::path archive_path, ExtractLimits limits)
        : m_archive(std::move(archive_path)), m_archive_name(m_archive.filename().string()),
          m_limits(std::move(limits)) {}
    ~Extraction() {
        m_staging_fd = Fd();
        if (!m_staging.empty()) {
            std::error_code ignored;
            fs::remove_all(m_staging, ignored);
        }
    }
    Extraction(const Extraction&) = delete;
    Extraction& operator=(const Extraction&) = delete;
    Extraction(Extraction&&) = delete;
    Extraction& operator=(Extraction&&) = delete;

    Result<std::vector<ExtractedFile>> run(const fs::path& destination) {
        // Open the archive first so an unreadable one leaves nothing behind.
        if (auto opened = open_archive(); !opened) {
            return opened.error();
        }
        if (auto prepared = prepare_staging(destination); !prepared) {
            return prepared.error();
        }
        if (auto read = read_entries(); !read) {
            return read.error();
        }
        // Symlinks are judged once every entry is known: a chain of individually harmless links
        // ("d/l -> ..", "e -> d/l/..") can still lead out.
        for (const auto& [path, node] : m_tree) {
            if (node.kind == NodeKind::symlink) {
                if (auto checked = check_symlink(path, node.target); !checked) {
                    return checked.error();
                }
            }
        }
        if (auto installed = install(); !installed) {
            return installed.error();
        }
        std::vector<ExtractedFile> files;
        for (const auto& [path, node] : m_tree) {
            if (node.kind == NodeKind::file) {
                files.push_back(ExtractedFile{path, m_contents[node.content].size, m_contents[node.content].sha256});
            }
        }
        std::sort(files.begin(), files.end(),
                  [](const ExtractedFile& a, const ExtractedFile& b) { return a.path < b.path; });
        return files;
    }

  private:
    Error refuse(std::string_view why) const {
        return Error(ErrorCode::integrity, "refusing to extract " + m_archive_name + ": " + std::string(why),
                     {"nothing from the archive was installed in " + m_destination.string()});
    }

    Error failure(std::string_view context) const { return archive_failure(m_reader.get(), m_archive_name, context); }

    Result<void> open_archive() {
        struct stat st {};
        if (::stat(m_archive.c_str(), &st) != 0) {
            return io_error("cannot read archive", m_archive, errno);
        }
        if (!S_ISREG(st.st_mode)) {
            return Error(ErrorCode::local_io, "cannot read archive " + m_archive.string() + ": not a regular file");
        }
        m_archive_size = static_cast<std::uint64_t>(st.st_size);
        compute_budget();

        m_reader.reset(archive_read_new());
        if (!m_reader) {
            return Error(ErrorCode::internal, "libarchive could not allocate a reader");
        }
        // An explicit list instead of *_all: the mtree "format" reads files named inside it from
        // the local disk, and some filters in filter_all run external programs.
        using Register = int (*)(archive*);
        static constexpr std::array<Register, 16> k_supports = {
            archive_read_support_format_tar,      archive_read_support_format_zip,     archive_read_support_format_7zip,
            archive_read_support_format_cpio,     archive_read_support_format_iso9660, archive_read_support_format_rar,
            archive_read_support_format_rar5,     archive_read_support_format_xar,     archive_read_support_filter_gzip,
            archive_read_support_filter_bzip2,    archive_read_support_filter_xz,      archive_read_support_filter_lzma,
            archive_read_support_filter_lzip,     archive_read_support_filter_zstd,    archive_read_support_filter_lz4,
            archive_read_support_filter_compress,
        };
        for (Register support : k_supports) {
            // ARCHIVE_WARN: this libarchive build would decompress through an external program;
            // slower but still correct.
            if (int rc = support(m_reader.get()); rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
                return failure("");
            }
        }
        // open_filename (unlike open_fd) can seek, so zip is read through its central directory.
        if (archive_read_open_filename(m_reader.get(), m_archive.c_str(), k_read_block_size) != ARCHIVE_OK) {
            return failure("");
        }
        return {};
    }

    void compute_budget() {
        double cap = m_limits.max_ratio * static_cast<double>(m_archive_size);
        if (std::isnan(cap) || cap >= 1.8e19) {
            m_budget = std::numeric_limits<std::uint64_t>::max();
        } else {
            m_budget = cap <= 0.0 ? 0 : static_cast<std::uint64_t>(cap);
            m_budget_reason =
                format_ratio(m_limits.max_ratio) + " times the archive's " + std::to_string(m_archive_size) + " bytes";
        }
        if (m_limits.max_output_bytes != 0 && m_limits.max_output_bytes < m_budget) {
            m_budget = m_limits.max_output_bytes;
            m_budget_reason = "the output limit";
        }
    }

    Result<void> prepare_staging(const fs::path& destination) {
        std::error_code ec;
        fs::path dest = fs::absolute(destination, ec).lexically_normal();
        if (ec) {
            return Error(ErrorCode::local_io,
                         "cannot resolve " + destination.string() + ": " + lower_first(ec.message()));
        }
        if (!dest.has_filename()) {
            dest = dest.parent_path();
        }
        if (!dest.has_filename()) {
            return Error(ErrorCode::usage, "cannot extract " + m_archive_name + " into " + dest.string() +
                                               ": choose a directory below the root");
        }
        m_destination = dest;
        fs::path parent = dest.parent_path();
        fs::create_directories(parent, ec);
        if (ec) {
            return Error(ErrorCode::local_io,
                         "cannot create directory " + parent.string() + ": " + lower_first(ec.message()));
        }
        struct stat st {};
        if (::stat(dest.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                return Error(ErrorCode::local_io, "cannot extract into " + dest.string() + ": not a directory");
            }
            m_destination_exists = true;
        } else if (errno != ENOENT) {
            return io_error("cannot inspect", dest, errno);
        }

        std::string stem = dest.filename().string().substr(0, k_max_staging_stem);
        std::string staging = (parent / ("." + stem + ".extract-XXXXXX")).string();
        if (::mkdtemp(staging.data()) == nullptr) {
            return io_error("cannot create a staging directory in", parent, errno);
        }
        m_staging = staging;
        m_staging_fd = Fd(::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!m_staging_fd.valid()) {
            return io_error("cannot open", m_staging, errno);
        }
        m_buffer.resize(k_write_buffer_size);
        return {};
    }

    Result<void> read_entries() {
        for (;;) {
            archive_entry* entry = nullptr;
            int rc = archive_read_next_header(m_reader.get(), &entry);
            if (rc == ARCHIVE_EOF) {
                break;
            }
            // ARCHIVE_WARN still yields a usable header (typically a name that does not convert to
            // the locale); the name is vetted below like any other. RETRY means a damaged header.
            if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
                return failure(m_last_entry.empty() ? std::string{} : "after entry " + quote_name(m_last_entry));
            }
            if (++m_entry_count > m_limits.max_entries) {
                return refuse("it has more than " + std::to_string(m_limits.max_entries) + " entries");
            }
            if (auto done = extract_entry(entry); !done) {
                return done.error();
            }
        }
        if (archive_read_close(m_reader.get()) != ARCHIVE_OK) {
            return failure("");
        }
        return {};
    }

    Result<void> extract_entry(archive_entry* entry) {
        const char* raw_name = entry_pathname(entry);
        if (raw_name == nullptr) {
            return refuse(m_last_entry.empty()
                              ? std::string("the first entry has no readable name")
                              : "the entry after " + quote_name(m_last_entry) + " has no readable name");
        }
        m_last_entry = raw_name;
        const std::string label = "entry " + quote_name(m_last_entry);
        std::string path;
        switch (normalize_entry_path(m_last_entry, path)) {
        case PathCheck::ok: break;
        case PathCheck::absolute: return refuse(label + " has an absolute path");
        case PathCheck::escapes: return refuse(label + " escapes the destination");
        case PathCheck::dot_dot: return refuse(label + " has a '..' component");
        }
        std::string top = path.substr(0, path.find('/'));
        if (std::find(m_limits.reserved_names.begin(), m_limits.reserved_names.end(), top) !=
            m_limits.reserved_names.end()) {
            return refuse(label + " would write into " + quote_name(top) + ", which cxrcat reserves for its own state");
        }

        if (const char* link = entry_hardlink(entry); link != nullptr) {
            return extract_hardlink(entry, path, link, label);
        }
        auto type = archive_entry_filetype(entry);
        if (path.empty()) {
            // "./" is destination itself; only a directory may name it.
            if (type == AE_IFDIR) {
                return {};
            }
            return refuse(label + " has an empty path");
        }
        switch (type) {
        case AE_IFREG: return extract_file(entry, path, label);
        case AE_IFDIR: return extract_directory(path, label);
        case AE_IFLNK: return extract_symlink(entry, path, label);
        case AE_IFCHR: return refuse(label + " is a character device");
        case AE_IFBLK: return refuse(label + " is a block device");
        case AE_IFIFO: return refuse(label + " is a fifo");
        case AE_IFSOCK: return refuse(label + " is a socket");
        default: return refuse(label + " has an unsupported file type");
        }
    }

    // Creates the directories above path that staging lacks; refuses a path that runs through a
    // symlink or a file, so no later open can be redirected.
    Result<void> ensure_parents(std::string_view path, const std::string& label) {
        std::string_view parent = parent_of(path);
        if (parent.empty() || parent == m_last_parent) {
            return {}; // directories are never replaced once created, so the cache stays true
        }
        std::size_t slash = 0;
        while (slash != std::string_view::npos) {
            slash = path.find('/', slash + 1);
            if (slash == std::string_view::npos) {
                break;
            }
            std::string prefix(path.substr(0, slash));
            auto it = m_tree.find(prefix);
            if (it == m_tree.end()) {
                if (auto made = make_directory(prefix); !made) {
                    return made.error();
                }
            } else if (it->second.kind == NodeKind::symlink) {
                return refuse(label + " goes through the symlink " + quote_name(prefix));
            } else if (it->second.kind == NodeKind::file) {
                return refuse(label + " is inside the file " + quote_name(prefix));
            }
        }
        m_last_parent = parent;
        return {};
    }

    Result<void> make_directory(const std::string& path) {
        if (::mkdirat(m_staging_fd.get(), path.c_str(), 0755) != 0) {
            return io_error("cannot create directory", m_staging / path, errno);
        }
        // Exact modes whatever the umask; staging is private, so following the name is safe.
        if (::fchmodat(m_staging_fd.get(), path.c_str(), 0755, 0) != 0) {
            return io_error("cannot set permissions of", m_staging / path, errno);
        }
        m_tree.insert_or_assign(path, Node{NodeKind::directory, 0, {}});
        return {};
    }

    // Makes room for a new non-directory at path: a duplicate entry replaces an earlier one.
    Result<void> clear_for_non_directory(const std::string& path, const std::string& label) {
        auto it = m_tree.find(path);
        if (it == m_tree.end()) {
            return {};
        }
        if (it->second.kind == NodeKind::directory) {
            return refuse(label + " would replace the directory made by an earlier entry");
        }
        if (::unlinkat(m_staging_fd.get(), path.c_str(), 0) != 0) {
            return io_error("cannot replace", m_staging / path, errno);
        }
        m_tree.erase(it);
        return {};
    }

    Result<void> extract_directory(const std::string& path, const std::string& label) {
        if (auto parents = ensure_parents(path, label); !parents) {
            return parents;
        }
        auto it = m_tree.find(path);
        if (it != m_tree.end()) {
            if (it->second.kind == NodeKind::directory) {
                return {};
            }
            // A later directory entry wins over an earlier file or link of the same name.
            if (::unlinkat(m_staging_fd.get(), path.c_str(), 0) != 0) {
                return io_error("cannot replace", m_staging / path, errno);
            }
            m_tree.erase(it);
        }
        return make_directory(path);
    }

    Result<void> extract_file(archive_entry* entry, const std::string& path, const std::string& label) {
        if (auto parents = ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        // Only the owner-executable bit survives from the archive.
        mode_t mode = (archive_entry_perm(entry) & S_IXUSR) != 0 ? 0755 : 0644;
        Fd fd(::openat(m_staging_fd.get(), path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
        if (!fd.valid()) {
            return io_error("cannot create", m_staging / path, errno);
        }
        m_tree.insert_or_assign(path, Node{NodeKind::file, m_contents.size(), {}});
        m_contents.emplace_back();
        auto content = write_data(entry, fd, path, label);
        if (!content) {
            return content.error();
        }
        m_contents.back() = std::move(*content);
        return finish_file(fd, path, mode);
    }

    Result<void> finish_file(Fd& fd, const std::string& path, mode_t mode) {
        if (::fchmod(fd.get(), mode) != 0) {
            return io_error("cannot set permissions of", m_staging / path, errno);
        }
        // Durable before it can be renamed into place.
        if (::fsync(fd.get()) != 0) {
            return io_error("cannot flush", m_staging / path, errno);
        }
        if (fd.close_now() != 0) {
            return io_error("cannot close", m_staging / path, errno);
        }
        return {};
    }

    Result<void> extract_hardlink(archive_entry* entry, const std::string& path, std::string_view raw_target,
                                  const std::string& label) {
        std::string target;
        const std::string what = label + " is a hardlink to " + quote_name(raw_target);
        switch (normalize_entry_path(raw_target, target)) {
        case PathCheck::ok: break;
        case PathCheck::absolute:
        case PathCheck::escapes: return refuse(what + ", which escapes the destination");
        case PathCheck::dot_dot: return refuse(what + ", which has a '..' component");
        }
        if (path.empty()) {
            return refuse(label + " has an empty path");
        }
        auto source = m_tree.find(target);
        if (source == m_tree.end() || source->second.kind != NodeKind::file) {
            return refuse(what + ", which is not an earlier file in the archive");
        }
        if (target == path) {
            return refuse(label + " is a hardlink to itself");
        }
        std::size_t content = source->second.content;
        if (auto parents = ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        if (::linkat(m_staging_fd.get(), target.c_str(), m_staging_fd.get(), path.c_str(), 0) != 0) {
            return io_error("cannot create hardlink", m_staging / path, errno);
        }
        m_tree.insert_or_assign(path, Node{NodeKind::file, content, {}});
        // Some formats (cpio newc) carry the shared data on the last link rather than the first.
        if (archive_entry_size_is_set(entry) == 0 || archive_entry_size(entry) <= 0) {
            return {};
        }
        Fd fd(::openat(m_staging_fd.get(), path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC));
        if (!fd.valid()) {
            return io_error("cannot open", m_staging / path, errno);
        }
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0) {
            return io_error("cannot inspect", m_staging / path, errno);
        }
        auto written = write_data(entry, fd, path, label);
        if (!written) {
            return written.error();
        }
        m_contents[content] = std::move(*written); // every name of the inode sees the new data
        return finish_file(fd, path, st.st_mode & 07777);
    }

    Result<void> extract_symlink(archive_entry* entry, const std::string& path, const std::string& label) {
        const char* raw_target = entry_symlink(entry);
        if (raw_target == nullptr || *raw_target == '\0') {
            return refuse(label + " is a symlink without a target");
        }
        std::string_view target = raw_target;
        const std::string what = label + " is a symlink to " + quote_name(target);
        if (target.front() == '/') {
            return refuse(what + ", an absolute path");
        }
        if (auto parents = ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        if (::symlinkat(raw_target, m_staging_fd.get(), path.c_str()) != 0) {
            return io_error("cannot create symlink", m_staging / path, errno);
        }
        m_tree.insert_or_assign(path, Node{NodeKind::symlink, 0, std::string(target)});
        return {};
    }

    // Streams the current entry's data to fd through the write buffer, hashing it on the way and
    // charging it to the output budget before a byte is written.
    Result<Content> write_data(archive_entry* entry, Fd& fd, const std::string& path, const std::string& label) {
        Hasher hasher(DigestAlgorithm::sha256);
        std::uint64_t position = 0;
        std::size_t fill = 0;
        auto flush = [&]() -> Result<void> {
            auto done = write_all(fd, std::span(m_buffer.data(), fill), path);
            fill = 0;
            return done;
        };
        auto append = [&](std::span<const std::byte> bytes, bool zeros) -> Result<void> {
            if (bytes.size() > m_budget - m_written) {
                return refuse("output exceeds " + std::to_string(m_budget) + " bytes (" + m_budget_reason + ") at " +
                              label + "; it looks like a compression bomb");
            }
            m_written += bytes.size();
            position += bytes.size();
            if (!zeros && fill == 0 && bytes.size() >= m_buffer.size()) {
                hasher.update(bytes); // already one big block: skip the copy
                return write_all(fd, bytes, path);
            }
            while (!bytes.empty()) {
                std::size_t take = std::min(bytes.size(), m_buffer.size() - fill);
                std::byte* slot = m_buffer.data() + fill;
                if (zeros) {
                    std::memset(slot, 0, take);
                } else {
                    std::memcpy(slot, bytes.data(), take);
                }
                hasher.update(std::span<const std::byte>(slot, take));
                fill += take;
                bytes = bytes.subspan(take);
                if (fill == m_buffer.size()) {
                    if (auto flushed = flush(); !flushed) {
                        return flushed;
                    }
                }
            }
            return {};
        };

        // Holes are written out as zeros (hashed, and charged to the budget like any output).
        auto fill_zeros = [&](std::uint64_t count) -> Result<void> {
            while (count > 0) {
                auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(count, m_buffer.size()));
                if (auto done = append(std::span<const std::byte>(m_buffer.data(), piece), true); !done) {
                    return done;
                }
                count -= piece;
            }
            return {};
        };

        for (;;) {
            const void* block = nullptr;
            std::size_t length = 0;
            la_int64_t offset = 0;
            int rc = archive_read_data_block(m_reader.get(), &block, &length, &offset);
            if (rc == ARCHIVE_EOF) {
                break;
            }
            // ARCHIVE_WARN here is a failed check (zip reports a CRC mismatch this way).
            if (rc != ARCHIVE_OK) {
                return failure(label);
            }
            if (offset < 0 || static_cast<std::uint64_t>(offset) < position) {
                return refuse(label + " has overlapping data blocks");
            }
            // A gap before the block is a hole of a sparse file.
            if (auto filled = fill_zeros(static_cast<std::uint64_t>(offset) - position); !filled) {
                return filled.error();
            }
            if (length > 0) {
                if (auto done = append(std::span(static_cast<const std::byte*>(block), length), false); !done) {
                    return done.error();
                }
            }
        }
        // libarchive reports no block for a hole at the end of a sparse file; only the entry's
        // size says how long the file is.
        if (archive_entry_sparse_count(entry) > 0 && archive_entry_size_is_set(entry) != 0 &&
            archive_entry_size(entry) > 0 && static_cast<std::uint64_t>(archive_entry_size(entry)) > position) {
            if (auto filled = fill_zeros(static_cast<std::uint64_t>(archive_entry_size(entry)) - position); !filled) {
                return filled.error();
            }
        }
        if (fill > 0) {
            if (auto flushed = flush(); !flushed) {
                return flushed.error();
            }
        }
        return Content{position, hasher.finish_hex()};
    }

    Result<void> write_all(Fd& fd, std::span<const std::byte> bytes, const std::string& path) {
        while (!bytes.empty()) {
            ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return io_error("cannot write", m_staging / path, errno);
            }
            bytes = bytes.subspan(static_cast<std::size_t>(n));
        }
        return {};
    }

    // The target of a symlink at path: from the archive when it has an entry there, otherwise from
    // what destination already holds (a link a previous extraction left, say).
    std::optional<std::string> symlink_at(const std::string& path) const {
        auto it = m_tree.find(path);
        if (it != m_tree.end()) {
            return it->second.kind == NodeKind::symlink ? std::optional(it->second.target) : std::nullopt;
        }
        if (!m_destination_fd.valid()) {
            return std::nullopt;
        }
        std::array<char, k_max_link_target> buffer{};
        ssize_t n = ::readlinkat(m_destination_fd.get(), path.c_str(), buffer.data(), buffer.size());
        if (n < 0) {
            return std::nullopt; // not a symlink, or nothing there
        }
        if (static_cast<std::size_t>(n) >= buffer.size()) {
            return std::string("/"); // too long to judge: treat as escaping
        }
        return std::string(buffer.data(), static_cast<std::size_t>(n));
    }

    // Resolves the symlink at link_path the way the kernel would, over the tree being extracted
    // laid onto destination; refuses it if resolution ever leaves destination.
    Result<void> check_symlink(const std::string& link_path, const std::string& target) {
        if (!m_destination_fd.valid() && m_destination_exists) {
            m_destination_fd = Fd(::open(m_destination.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!m_destination_fd.valid()) {
                return io_error("cannot open", m_destination, errno);
            }
        }
        const std::string escape = "entry " + quote_name(link_path) + " is a symlink to " + quote_name(target) +
                                   ", which escapes the destination";
        std::vector<std::string> stack;
        for (auto part : split_components(parent_of(link_path))) {
            stack.emplace_back(part);
        }
        std::deque<std::string> pending;
        for (auto part : split_components(target)) {
            pending.emplace_back(part);
        }
        int hops = 0;
        while (!pending.empty()) {
            std::string part = std::move(pending.front());
            pending.pop_front();
            if (part == "..") {
                if (stack.empty()) {
                    return refuse(escape);
                }
                stack.pop_back();
                continue;
            }
            stack.push_back(std::move(part));
            auto next = symlink_at(join(stack));
            if (!next) {
                continue;
            }
            if (++hops > k_max_symlink_hops) {
                return refuse("entry " + quote_name(link_path) + " is a symlink in a loop");
            }
            if (next->empty() || next->front() == '/') {
                return refuse(escape);
            }
            stack.pop_back();
            auto parts = split_components(*next);
            pending.insert(pending.begin(), parts.begin(), parts.end());
        }
        return {};
    }

    // Moves staging into destination. A new destination is one rename; otherwise every top-most
    // entry destination lacks moves whole, and conflicts are found before anything moves.
    Result<void> install() {
        if (!m_destination_exists) {
            if (::fchmod(m_staging_fd.get(), 0755) != 0) {
                return io_error("cannot set permissions of", m_staging, errno);
            }
            if (::rename(m_staging.c_str(), m_destination.c_str()) == 0) {
                m_staging.clear();
                return sync_directory(m_destination.parent_path());
            }
            if (errno != EEXIST && errno != ENOTEMPTY) {
                return io_error("cannot move into place", m_destination, errno);
            }
            // Someone created destination meanwhile: merge into it instead.
        }
        if (!m_destination_fd.valid()) {
            m_destination_fd = Fd(::open(m_destination.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!m_destination_fd.valid()) {
                return io_error("cannot open", m_destination, errno);
            }
        }
        std::vector<const std::string*> moves;
        for (auto it = m_tree.begin(); it != m_tree.end();) {
            const auto& [path, node] = *it;
            struct stat st {};
            bool present = ::fstatat(m_destination_fd.get(), path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
            if (!present && errno != ENOENT) {
                return io_error("cannot inspect", m_destination / path, errno);
            }
            if (node.kind == NodeKind::directory) {
                if (present && !S_ISDIR(st.st_mode)) {
                    return Error(ErrorCode::local_io, "cannot install " + m_archive_name + ": " +
                                                          (m_destination / path).string() +
                                                          " is in the way of a directory from the archive");
                }
                if (present) {
                    ++it; // merge into the existing directory entry by entry
                    continue;
                }
                moves.push_back(&path);
                do {
                    ++it; // the subtree travels with its directory
                } while (it != m_tree.end() && is_under(it->first, path));
                continue;
            }
            if (present && S_ISDIR(st.st_mode)) {
                return Error(ErrorCode::local_io, "cannot install " + m_archive_name + ": " +
                                                      (m_destination / path).string() +
                                                      " is a directory, the archive has a file there");
            }
            moves.push_back(&path);
            ++it;
        }
        std::set<std::string, ComponentLess> touched;
        for (const std::string* path : moves) {
            // Path-based, but safe: every directory above path was checked to be a real
            // directory (not a symlink) in both trees above; rename never follows the last name.
            if (::renameat(m_staging_fd.get(), path->c_str(), m_destination_fd.get(), path->c_str()) != 0) {
                return io_error("cannot move into place", m_destination / *path, errno);
            }
            touched.emplace(parent_of(*path));
        }
        for (const auto& dir : touched) {
            if (auto synced = sync_directory(m_destination / dir); !synced) {
                return synced;
            }
        }
        return {};
    }

    // Makes renames into dir durable.
    static Result<void> sync_directory(const fs::path& dir) {
        Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fd.valid() || ::fsync(fd.get()) != 0) {
            return io_error("cannot flush directory", dir, errno);
        }
        return {};
    }

    fs::path m_archive;
    std::string m_archive_name;
    ExtractLimits m_limits;
    std::uint64_t m_archive_size = 0;
    std::uint64_t m_budget = 0;
    std::string m_budget_reason;
    std::uint64_t m_written = 0;
    std::uint64_t m_entry_count = 0;
    std::string m_last_entry;
    std::string m_last_parent;

    fs::path m_destination;
    bool m_destination_exists = false;
    Fd m_destination_fd;
    fs::path m_staging;
    Fd m_staging_fd;

    ArchiveReader m_reader;
    std::map<std::string, Node, ComponentLess> m_tree;
    std::vector<Content> m_contents;
    std::vector<std::byte> m_buffer;
};

} // namespace

Result<std::vector<ExtractedFile>> extract_archive(const std::filesystem::path& archive,
                                                   const std::filesystem::path& destination,
                                                   const ExtractLimits& limits) {
    Extraction extraction(archive, limits);
    return extraction.run(destination);
}

} // namespace cxrcat
