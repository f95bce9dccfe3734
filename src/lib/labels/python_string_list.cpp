// SPDX-License-Identifier: Apache-2.0
#include "labels/python_string_list.hpp"

namespace cxrcat::labels {

namespace {

class ListScanner {
  public:
    explicit ListScanner(std::string_view text) : m_text(text) {}

    StringListParse parse() {
        StringListParse parsed;
        skip_space();
        if (!take('[')) {
            return fail("'[' at the start");
        }
        skip_space();
        while (!take(']')) {
            std::string item;
            if (!string_literal(item)) {
                return fail("a quoted string or ']'");
            }
            parsed.items.push_back(std::move(item));
            skip_space();
            if (take(',')) {
                skip_space();
            } else if (peek() != ']') {
                return fail("',' or ']'");
            }
        }
        skip_space();
        if (m_at != m_text.size()) {
            return fail("nothing after ']'");
        }
        return parsed;
    }

  private:
    // One '...' or "..." literal with Python's simple escapes (\\, \', \", \n, \t); other escapes
    // keep their backslash, as Python does for unknown ones.
    bool string_literal(std::string& out) {
        char quote = peek();
        if (quote != '\'' && quote != '"') {
            return false;
        }
        ++m_at;
        while (m_at < m_text.size()) {
            char c = m_text[m_at++];
            if (c == quote) {
                return true;
            }
            if (c != '\\' || m_at == m_text.size()) {
                out += c;
                continue;
            }
            char escaped = m_text[m_at++];
            switch (escaped) {
            case '\\':
            case '\'':
            case '"': out += escaped; break;
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            default: out += '\\'; out += escaped;
            }
        }
        return false; // unterminated
    }

    StringListParse fail(std::string_view expected) const {
        StringListParse failed;
        failed.error = "expected " + std::string(expected) + " at character " + std::to_string(m_at + 1) +
                       " of a Python list literal";
        return failed;
    }
    [[nodiscard]] char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }
    bool take(char c) {
        if (peek() != c || m_at == m_text.size()) {
            return false;
        }
        ++m_at;
        return true;
    }
    void skip_space() {
        while (m_at < m_text.size() && (m_text[m_at] == ' ' || m_text[m_at] == '\t')) {
            ++m_at;
        }
    }

    std::string_view m_text;
    std::size_t m_at = 0;
};

} // namespace

StringListParse parse_python_string_list(std::string_view cell) {
    return ListScanner(cell).parse();
}

} // namespace cxrcat::labels
