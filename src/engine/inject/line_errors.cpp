#include "inject/line_errors.hpp"

#include <algorithm>

#include <nanobind/stl/string.h>

#include "pyapi/source_text.hpp"

namespace splice {

namespace {

std::string nearest(const std::vector<int>& valid, int line) {
    const auto above = std::upper_bound(valid.begin(), valid.end(), line);
    std::vector<int> near;
    if (above != valid.begin()) near.push_back(*std::prev(above));
    if (above != valid.end()) near.push_back(*above);
    if (near.empty()) return "it has no injectable lines";
    std::string out = near.size() == 1 ? "nearest injectable line: " : "nearest injectable lines: ";
    for (std::size_t i = 0; i < near.size(); ++i) out += (i ? " and " : "") + std::to_string(near[i]);
    return out;
}

}  // namespace

std::string describe_function(nb::handle function, nb::handle code) {
    const std::vector<int> lines = code_lines(code);
    const int first = nb::cast<int>(code.attr("co_firstlineno"));
    const int last = lines.empty() ? first : std::max(first, lines.back());
    std::string name = nb::cast<std::string>(nb::str(function.attr("__qualname__")));
    return "function '" + name + "' (" + nb::cast<std::string>(nb::str(code.attr("co_filename"))) + ", lines " +
           std::to_string(first) + "-" + std::to_string(last) + ")";
}

std::string describe_module(nb::handle code) {
    const std::vector<int> lines = code_lines(code);
    const int first = nb::cast<int>(code.attr("co_firstlineno"));
    const int last = lines.empty() ? first : std::max(first, lines.back());
    return nb::cast<std::string>(nb::str(code.attr("co_filename"))) + " (lines " + std::to_string(first) + "-" +
           std::to_string(last) + ")";
}

std::string injectable_refusal(nb::handle code, int line, Mode mode, const std::string& described) {
    const auto source = source_for(code);
    const std::vector<int> valid = injectable_lines(code, mode, source.get());
    if (std::binary_search(valid.begin(), valid.end(), line)) return {};

    const std::string where = "line " + std::to_string(line) + " of " + described;
    const std::vector<int> lines = code_lines(code);
    const int first = nb::cast<int>(code.attr("co_firstlineno"));
    if (line < first || lines.empty() || line > lines.back()) return "line " + std::to_string(line) + " is outside " + described;
    if (mode == Mode::Statement && source && source->statements().ok) {
        const StatementMap& map = source->statements();
        switch (map.role(line)) {
            case LineRole::Continuation: {
                const int begins = map.statements[static_cast<std::size_t>(map.continuing(line))].first_line;
                return where + " continues the statement that begins on line " + std::to_string(begins) +
                       (std::binary_search(valid.begin(), valid.end(), begins) ? "; put the hook there" : "; " + nearest(valid, line));
            }
            case LineRole::BareClause:
                return where + " is a clause header without code of its own; " + nearest(valid, line);
            default:
                break;
        }
    }
    return where + " has no code; " + nearest(valid, line);
}

void check_injectable(nb::handle function, nb::handle code, int line, Mode mode) {
    const std::string refusal = injectable_refusal(code, line, mode, describe_function(function, code));
    if (!refusal.empty()) throw nb::value_error(("splice: " + refusal).c_str());
}

}  // namespace splice
