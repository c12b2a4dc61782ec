#pragma once
// Project content for the workspace tests, kept out of moc'd files (moc cannot parse the raw-string
// JSON literals).

#include <QByteArray>

namespace fixtures {

/// One document (with CRLF line ends, an emoji and a pound sign before the passages the tests
/// mark), four items of which q4 has no answer in the document, and labels by alice on q1.
QByteArray smallProject();
/// The document's text as the project stores it.
QByteArray documentText();
/// A file with two errors: an unknown question type on line 2 and an unknown preference on line 3.
QByteArray brokenImport();
/// A second human, bob, who disagrees with alice on q1 (prefers B).
QByteArray disagreeingRater();
/// Two more items for an import.
QByteArray moreItems();

} // namespace fixtures
