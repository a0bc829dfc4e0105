// A probe file: the TOML that says which statements run where. Both forms
// are read: Wilma's (`[probes]` "file:line" = "code", `imports`,
// `[dependencies]`) and splice's own (`[[probe]]` with at / run / when /
// enabled). Every entry and every problem keeps its line in the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace splice {

struct ProbeSpec {
    std::string at;       // "path:line" or "module:line", as written
    std::string place;    // the part before the last ':'
    int line = 0;         // the part after it
    std::string run;      // statements, run as if written just before that line
    std::string when;     // a condition; empty when there is none
    bool enabled = true;
    int config_line = 0;  // where the probe is written in the probe file
};

struct Dependency {
    std::string name;
    std::string spec;  // a pip version specifier; empty for any version
    int config_line = 0;
};

struct ImportSpec {
    std::string text;  // "rich as r": becomes `import rich as r`
    int config_line = 0;
};

struct ConfigProblem {
    int config_line = 0;  // 0 when the problem has no line
    std::string message;
};

struct ProbeFile {
    bool valid = true;  // false when the text is not TOML: nothing else was read
    std::vector<ImportSpec> imports;
    std::vector<Dependency> dependencies;
    std::vector<ProbeSpec> probes;  // in file order
    std::vector<ConfigProblem> problems;  // in file order; the entries they name are left out
};

ProbeFile parse_probe_file(std::string_view text);

}  // namespace splice
