#pragma once

// What the parts of JsonReader share: JsonReader.cpp (positions, errors, structure), JsonReaderStrings.cpp (strings)
// and JsonReaderValues.cpp (numbers, literals, whole values). Not part of the public API (see JsonReader.h).

namespace kbatch::core::jsonreader {

constexpr int MaxDepth = 512; // deeper documents are refused rather than risking the stack

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace kbatch::core::jsonreader
