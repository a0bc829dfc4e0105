// The source of a code object's file, scanned once per version of the file.
#pragma once

#include <nanobind/nanobind.h>

#include <memory>

#include "source/source_file.hpp"

namespace splice {

namespace nb = nanobind;

// From the file named by co_filename, or from linecache for names such as
// "<stdin>" or a notebook cell; null when there is no source.
std::shared_ptr<const SourceFile> source_for(nb::handle code);

}  // namespace splice
