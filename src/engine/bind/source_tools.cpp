// Entry points the tests use to check the statement scanner.
#include <nanobind/nanobind.h>

#include <string>
#include <string_view>

#include "source/statement_map.hpp"

namespace nb = nanobind;

namespace splice {

namespace {

constexpr const char* kKindNames[] = {"simple", "compound", "clause", "scope"};
constexpr const char* kRoleNames[] = {"nocode", "begins", "continuation", "bareclause", "outofrange"};

StatementMap scan_bytes(const nb::bytes& source) {
    StatementMap map = scan_statements(std::string_view(source.c_str(), source.size()));
    if (!map.ok) throw nb::value_error(("cannot scan the source (line " + std::to_string(map.error_line) + ")").c_str());
    return map;
}

// [(first_line, last_line, header_last_line, kind, parent, scope)], kind one
// of "simple", "compound", "clause", "scope"; parent and scope are indices in
// the list or -1.
nb::list scan_statements_py(const nb::bytes& source) {
    const StatementMap map = scan_bytes(source);
    nb::list out;
    for (const Statement& s : map.statements)
        out.append(nb::make_tuple(s.first_line, s.last_line, s.header_last_line,
                                  kKindNames[static_cast<int>(s.kind)], s.parent, s.scope));
    return out;
}

// {line: (role, beginning_at, continuing)} for lines 0 .. line_count + 1
// (the first and last out of range); role one of "nocode", "begins",
// "continuation", "bareclause", "outofrange".
nb::dict line_roles_py(const nb::bytes& source) {
    const StatementMap map = scan_bytes(source);
    nb::dict out;
    for (int line = 0; line <= map.line_count() + 1; ++line)
        out[nb::int_(line)] = nb::make_tuple(kRoleNames[static_cast<int>(map.role(line))], map.beginning_at(line),
                                             map.continuing(line));
    return out;
}

}  // namespace

void bind_source_tools(nb::module_& m) {
    m.def("_scan_statements", &scan_statements_py, nb::arg("source"),
          "Statements of a module's source: [(first_line, last_line, header_last_line, kind, parent, scope)].");
    m.def("_line_roles", &line_roles_py, nb::arg("source"),
          "{line: (role, beginning_at, continuing)} for lines 0 .. line_count + 1.");
}

}  // namespace splice
