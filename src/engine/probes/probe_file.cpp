#include "probes/probe_file.hpp"

#include <algorithm>
#include <charconv>
#include <span>

#include <toml++/toml.h>

namespace splice {

namespace {

int line_of(const toml::source_region& region) { return static_cast<int>(region.begin.line); }

// Reads one table's entries, reporting problems against the file's lines.
class Reader {
public:
    explicit Reader(ProbeFile& out) : out_(out) {}

    void top_level(const toml::table& root) {
        for (const auto& [key, node] : root) {
            const std::string_view name = key.str();
            if (name == "imports") {
                imports(key, node);
            } else if (name == "dependencies") {
                dependencies(key, node);
            } else if (name == "probes") {
                wilma_probes(key, node);
            } else if (name == "probe") {
                probe_tables(key, node);
            } else {
                problem(key, "unknown key '" + std::string(name) + "' (expected imports, dependencies, probes or [[probe]])");
            }
        }
    }

private:
    void problem(const toml::key& key, std::string message) { out_.problems.push_back({line_of(key.source()), std::move(message)}); }
    void problem(const toml::node& node, std::string message) { out_.problems.push_back({line_of(node.source()), std::move(message)}); }

    void imports(const toml::key& key, const toml::node& node) {
        const toml::array* list = node.as_array();
        if (!list) return problem(key, "'imports' must be a list of strings, like [\"rich as r\"]");
        for (const toml::node& item : *list) {
            const auto text = item.value<std::string>();
            if (!text || text->empty()) {
                problem(item, "each import must be a non-empty string, like \"rich as r\"");
                continue;
            }
            out_.imports.push_back({*text, line_of(item.source())});
        }
    }

    void dependencies(const toml::key& key, const toml::node& node) {
        const toml::table* table = node.as_table();
        if (!table) return problem(key, "'dependencies' must be a table of package = \"version\"");
        for (const auto& [name, spec] : *table) {
            const auto text = spec.value<std::string>();
            if (!text) {
                problem(name, "dependency '" + std::string(name.str()) + "' needs a version string (\"latest\" for any)");
                continue;
            }
            out_.dependencies.push_back({std::string(name.str()), *text == "latest" ? std::string() : *text, line_of(name.source())});
        }
    }

    // [probes] "file:line" = "code"
    void wilma_probes(const toml::key& key, const toml::node& node) {
        const toml::table* table = node.as_table();
        if (!table) return problem(key, "'probes' must be a table of \"file:line\" = \"code\"");
        for (const auto& [at, code] : *table) {
            const auto run = code.value<std::string>();
            if (!run) {
                problem(at, "probe '" + std::string(at.str()) + "' must be a string of Python code");
                continue;
            }
            ProbeSpec probe;
            probe.at = std::string(at.str());
            probe.run = *run;
            probe.config_line = line_of(at.source());
            add(std::move(probe));
        }
    }

    // [[probe]] at = "...", run = "...", when = "...", enabled = true
    void probe_tables(const toml::key& key, const toml::node& node) {
        const toml::array* list = node.as_array();
        if (!list || !list->is_array_of_tables()) return problem(key, "'probe' must be written as [[probe]] tables");
        for (const toml::node& item : *list) {
            const toml::table& table = *item.as_table();
            ProbeSpec probe;
            probe.config_line = line_of(table.source());
            bool ok = true;
            for (const auto& [field, value] : table) {
                const std::string_view name = field.str();
                if (name == "at" || name == "run" || name == "when") {
                    const auto text = value.value<std::string>();
                    if (!text) {
                        problem(field, "'" + std::string(name) + "' must be a string");
                        ok = false;
                        continue;
                    }
                    (name == "at" ? probe.at : name == "run" ? probe.run : probe.when) = *text;
                } else if (name == "enabled") {
                    const auto flag = value.value<bool>();
                    if (!flag) {
                        problem(field, "'enabled' must be true or false");
                        ok = false;
                        continue;
                    }
                    probe.enabled = *flag;
                } else {
                    problem(field, "unknown key '" + std::string(name) + "' in [[probe]] (expected at, run, when, enabled)");
                    ok = false;
                }
            }
            if (probe.at.empty()) {
                out_.problems.push_back({probe.config_line, "[[probe]] needs 'at', like at = \"app.py:42\""});
                ok = false;
            }
            if (probe.run.empty()) {
                out_.problems.push_back({probe.config_line, "[[probe]] needs 'run', the statements to run"});
                ok = false;
            }
            if (ok) add(std::move(probe));
        }
    }

    // Splits "place:line" on its last ':'.
    void add(ProbeSpec probe) {
        const std::size_t colon = probe.at.rfind(':');
        const char* digits = colon == std::string::npos ? nullptr : probe.at.data() + colon + 1;
        const char* end = probe.at.data() + probe.at.size();
        int line = 0;
        if (!digits || digits == end || std::from_chars(digits, end, line).ptr != end || line <= 0 || colon == 0) {
            out_.problems.push_back({probe.config_line, "'" + probe.at + "' is not a place and a line, like \"app.py:42\" or \"json.decoder:45\""});
            return;
        }
        probe.place = probe.at.substr(0, colon);
        probe.line = line;
        out_.probes.push_back(std::move(probe));
    }

    ProbeFile& out_;
};

template <class T>
void sort_by_line(std::vector<T>& entries) {
    std::stable_sort(entries.begin(), entries.end(), [](const T& a, const T& b) { return a.config_line < b.config_line; });
}

}  // namespace

ProbeFile parse_probe_file(std::string_view text) {
    ProbeFile out;
    try {
        const toml::table root = toml::parse(text);
        Reader(out).top_level(root);
    } catch (const toml::parse_error& error) {
        out.valid = false;
        out.problems.push_back({static_cast<int>(error.source().begin.line), "invalid TOML: " + std::string(error.description())});
        return out;
    }
    // toml++ keeps tables sorted by key; people read their file top to bottom.
    sort_by_line(out.imports);
    sort_by_line(out.dependencies);
    sort_by_line(out.probes);
    sort_by_line(out.problems);
    return out;
}

}  // namespace splice
