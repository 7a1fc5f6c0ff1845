// rdk::json: the one JSON reader and writer of rdkernel, header-only so that the kernel and every
// plugin compile the same source (plugins must not receive kernel C++ types across the ABI, but
// they may share code). The kernel's protocol::Value, its plugin host and its CLI read and write
// JSON through it too.
//
//   rdk/json/writer.hpp    quote(), writeString(), writeNumber(), isValidUtf8(): strings are
//                          UTF-8 (other bytes become U+FFFD), floats the shortest text that reads
//                          back the same, non-finite numbers null.
//   rdk/json/document.hpp  Value: the document model, typed lookups, dump() compact or indented.
//   rdk/json/reader.hpp    Value::parse() / parse(): RFC 8259 strictly; errors are ParseError with
//                          the offset where the text goes wrong and the reason.
#pragma once

#include "rdk/json/document.hpp"
#include "rdk/json/reader.hpp"
#include "rdk/json/writer.hpp"
