// sampleForPattern() (JsonSchemaSamples.h): a small parser of ECMAScript patterns into a tree, and a walk of it
// that writes one string the pattern matches.

#include "JsonSchemaSamples.h"
#include "core/generate/Random.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace kbatch::core {

namespace {

// Unbounded repetitions ('*', '+', {n,}) take at most this many more than their minimum.
constexpr int OpenRepeat = 3;
// A sample stops growing here ("a{1000}{1000}" is a valid pattern); it then matches only by luck.
constexpr std::size_t MaxLength = 4096;
// Patterns nest at most this deep (a pattern is schema text: it must not overflow the stack).
constexpr int MaxDepth = 64;

struct Node
{
    enum class Kind : std::uint8_t { Seq, Alt, Set, Repeat };
    Kind kind = Kind::Seq;
    std::vector<Node> kids;
    std::vector<std::pair<char32_t, char32_t>> ranges; // Set: the code points allowed
    int min = 0, max = 0;                              // Repeat
};

Node set(std::initializer_list<std::pair<char32_t, char32_t>> ranges)
{
    Node n;
    n.kind = Node::Kind::Set;
    n.ranges = ranges;
    return n;
}

class Parser
{
public:
    explicit Parser(std::string_view p) : m_p(p) {}

    bool parse(Node &out) { return alt(out, 0) && m_i == m_p.size(); }

private:
    bool alt(Node &out, int depth)
    {
        if (depth > MaxDepth)
            return false;
        Node first;
        if (!seq(first, depth))
            return false;
        if (m_i >= m_p.size() || m_p[m_i] != '|') {
            out = std::move(first);
            return true;
        }
        out.kind = Node::Kind::Alt;
        out.kids.push_back(std::move(first));
        while (m_i < m_p.size() && m_p[m_i] == '|') {
            ++m_i;
            Node next;
            if (!seq(next, depth))
                return false;
            out.kids.push_back(std::move(next));
        }
        return true;
    }

    bool seq(Node &out, int depth)
    {
        out.kind = Node::Kind::Seq;
        while (m_i < m_p.size() && m_p[m_i] != '|' && m_p[m_i] != ')') {
            Node atom;
            bool empty = false;
            if (!this->atom(atom, empty, depth))
                return false;
            if (!quantifier(atom))
                return false;
            if (!empty)
                out.kids.push_back(std::move(atom));
        }
        return true;
    }

    bool quantifier(Node &atom)
    {
        if (m_i >= m_p.size())
            return true;
        int min = 0, max = 0;
        const char c = m_p[m_i];
        if (c == '*') {
            min = 0, max = -1, ++m_i;
        } else if (c == '+') {
            min = 1, max = -1, ++m_i;
        } else if (c == '?') {
            min = 0, max = 1, ++m_i;
        } else if (c == '{') {
            std::size_t j = m_i + 1;
            if (!number(j, min))
                return true; // a literal '{'
            max = min;
            if (j < m_p.size() && m_p[j] == ',') {
                ++j;
                max = -1;
                if (j < m_p.size() && m_p[j] != '}' && !number(j, max))
                    return true;
            }
            if (j >= m_p.size() || m_p[j] != '}' || (max >= 0 && max < min))
                return true;
            m_i = j + 1;
        } else {
            return true;
        }
        if (m_i < m_p.size() && m_p[m_i] == '?')
            ++m_i; // lazy: the same strings match
        Node r;
        r.kind = Node::Kind::Repeat;
        r.min = min;
        r.max = max;
        r.kids.push_back(std::move(atom));
        atom = std::move(r);
        return true;
    }

    bool number(std::size_t &j, int &out) const
    {
        const std::size_t from = j;
        long long v = 0;
        while (j < m_p.size() && m_p[j] >= '0' && m_p[j] <= '9' && v < 100000)
            v = v * 10 + (m_p[j++] - '0');
        out = int(std::min<long long>(v, 1000)); // a sample need not be longer
        return j > from;
    }

    char32_t utf8(std::size_t &i) const
    {
        const auto b = static_cast<unsigned char>(m_p[i++]);
        if (b < 0x80)
            return b;
        const int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
        char32_t cp = b & (0x3f >> extra);
        for (int k = 0; k < extra && i < m_p.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(m_p[i++]) & 0x3f);
        return cp;
    }

    // An escape after '\\' as a set; `empty` for \b and \B (they match no character).
    bool escape(Node &out, bool &empty)
    {
        if (m_i >= m_p.size())
            return false;
        const char c = m_p[m_i++];
        switch (c) {
        case 'd':
            out = set({{'0', '9'}});
            return true;
        case 'D':
            out = set({{'a', 'z'}});
            return true;
        case 'w':
            out = set({{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}});
            return true;
        case 'W':
            out = set({{'-', '-'}, {' ', ' '}});
            return true;
        case 's':
            out = set({{' ', ' '}});
            return true;
        case 'S':
            out = set({{'a', 'z'}});
            return true;
        case 'b':
        case 'B':
            empty = true;
            return true;
        case 'n':
            out = set({{'\n', '\n'}});
            return true;
        case 't':
            out = set({{'\t', '\t'}});
            return true;
        case 'r':
            out = set({{'\r', '\r'}});
            return true;
        case 'f':
            out = set({{'\f', '\f'}});
            return true;
        case 'v':
            out = set({{'\v', '\v'}});
            return true;
        case 'u':
        case 'x': {
            const std::size_t digits = c == 'u' ? 4 : 2;
            if (m_i + digits > m_p.size())
                return false;
            char32_t cp = 0;
            for (std::size_t k = 0; k < digits; ++k) {
                const char h = m_p[m_i++];
                const int v = h >= '0' && h <= '9'   ? h - '0'
                              : h >= 'a' && h <= 'f' ? h - 'a' + 10
                              : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                     : -1;
                if (v < 0)
                    return false;
                cp = cp * 16 + char32_t(v);
            }
            if (cp >= 0xd800 && cp <= 0xdfff)
                return false; // a surrogate: a pair is beyond this generator
            out = set({{cp, cp}});
            return true;
        }
        default:
            if (c >= '1' && c <= '9')
                return false; // a back-reference
            --m_i;
            const char32_t cp = utf8(m_i);
            out = set({{cp, cp}});
            return true;
        }
    }

    bool classItem(char32_t &cp, Node &shorthand, bool &isShorthand)
    {
        isShorthand = false;
        if (m_p[m_i] == '\\') {
            ++m_i;
            if (m_i >= m_p.size())
                return false;
            const char c = m_p[m_i];
            if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') {
                bool empty = false;
                isShorthand = true;
                return escape(shorthand, empty);
            }
            if (c == 'b') { // backspace inside a class
                ++m_i;
                cp = '\b';
                return true;
            }
            bool empty = false;
            Node one;
            if (!escape(one, empty) || empty)
                return false;
            cp = one.ranges.front().first;
            return true;
        }
        cp = utf8(m_i);
        return true;
    }

    bool charClass(Node &out)
    {
        out = set({});
        bool negate = false;
        if (m_i < m_p.size() && m_p[m_i] == '^') {
            negate = true;
            ++m_i;
        }
        bool first = true;
        while (m_i < m_p.size() && (m_p[m_i] != ']' || first)) {
            first = false;
            char32_t lo = 0;
            Node shorthand;
            bool isShorthand = false;
            if (!classItem(lo, shorthand, isShorthand))
                return false;
            if (isShorthand) {
                out.ranges.insert(out.ranges.end(), shorthand.ranges.begin(), shorthand.ranges.end());
                continue;
            }
            char32_t hi = lo;
            if (m_i + 1 < m_p.size() && m_p[m_i] == '-' && m_p[m_i + 1] != ']') {
                ++m_i;
                if (!classItem(hi, shorthand, isShorthand) || isShorthand || hi < lo)
                    return false;
            }
            out.ranges.emplace_back(lo, hi);
        }
        if (m_i >= m_p.size())
            return false;
        ++m_i; // ']'
        if (negate) {
            std::vector<std::pair<char32_t, char32_t>> allowed;
            for (char32_t c = ' '; c <= '~'; ++c) {
                bool in = false;
                for (const auto &[lo, hi] : out.ranges)
                    in = in || (c >= lo && c <= hi);
                if (!in)
                    allowed.emplace_back(c, c);
            }
            out.ranges = std::move(allowed);
        }
        return !out.ranges.empty();
    }

    bool atom(Node &out, bool &empty, int depth)
    {
        const char c = m_p[m_i];
        switch (c) {
        case '(': {
            ++m_i;
            if (m_i < m_p.size() && m_p[m_i] == '?') {
                if (m_i + 1 < m_p.size() && m_p[m_i + 1] == ':')
                    m_i += 2;
                else
                    return false; // look-arounds and named groups
            }
            if (!alt(out, depth + 1) || m_i >= m_p.size() || m_p[m_i] != ')')
                return false;
            ++m_i;
            return true;
        }
        case '[':
            ++m_i;
            return charClass(out);
        case '.':
            ++m_i;
            out = set({{'a', 'z'}, {'A', 'Z'}, {'0', '9'}});
            return true;
        case '^':
        case '$':
            ++m_i;
            empty = true;
            return true;
        case '\\':
            ++m_i;
            return escape(out, empty);
        case '*':
        case '+':
        case '?':
            return false; // nothing to repeat
        default: {
            const char32_t cp = utf8(m_i);
            out = set({{cp, cp}});
            return true;
        }
        }
    }

    std::string_view m_p;
    std::size_t m_i = 0;
};

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xc0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += char(0xe0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3f));
        out += char(0x80 | (cp & 0x3f));
    } else {
        out += char(0xf0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3f));
        out += char(0x80 | ((cp >> 6) & 0x3f));
        out += char(0x80 | (cp & 0x3f));
    }
}

std::uint64_t pick(Random *random, std::uint64_t n)
{
    return random && n > 1 ? random->below(n) : 0;
}

void generate(const Node &n, Random *random, std::string &out)
{
    if (out.size() > MaxLength)
        return;
    switch (n.kind) {
    case Node::Kind::Seq:
        for (const Node &k : n.kids)
            generate(k, random, out);
        return;
    case Node::Kind::Alt:
        generate(n.kids[pick(random, n.kids.size())], random, out);
        return;
    case Node::Kind::Set: {
        std::uint64_t total = 0;
        for (const auto &[lo, hi] : n.ranges)
            total += hi - lo + 1;
        std::uint64_t at = pick(random, total);
        for (const auto &[lo, hi] : n.ranges) {
            if (at <= hi - lo) {
                appendUtf8(out, char32_t(lo + at));
                return;
            }
            at -= hi - lo + 1;
        }
        return;
    }
    case Node::Kind::Repeat: {
        const int max = n.max < 0 ? n.min + OpenRepeat : n.max;
        const int count = n.min + int(pick(random, std::uint64_t(max) - std::uint64_t(n.min) + 1));
        for (int i = 0; i < count && out.size() <= MaxLength; ++i)
            generate(n.kids.front(), random, out);
        return;
    }
    }
}

} // namespace

std::optional<std::string> sampleForPattern(std::string_view pattern, Random *random)
{
    Node root;
    Parser parser(pattern);
    if (!parser.parse(root))
        return std::nullopt;
    std::string out;
    generate(root, random, out);
    return out;
}

} // namespace kbatch::core
