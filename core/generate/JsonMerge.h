#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kbatch::core {

// Lays the JSON value `over` (what a generator row's user wrote, placeholders expanded) over `base` (a random value
// of the part's schema), for "fill" generator rows:
//  - two objects merge member by member when every member `over` names is in `base` (a record's fields): `base`'s
//    members in `base`'s order, each merged with `over`'s of the same name where there is one;
//  - anything else is `over` itself: a number, a string, an array, or an object with a member `base` lacks (a map,
//    a union written in another form), so what the user wrote always wins whole.
// Both are compact or not; the result is compact, with strings and numbers exactly as written (a long stays exact).
// An `over` that is empty gives `base`. Invalid JSON in either: `over` is returned as it is, for the codec to refuse
// with its own message. Any thread.
QByteArray mergeJsonOver(QByteArrayView base, QByteArrayView over);

} // namespace kbatch::core
