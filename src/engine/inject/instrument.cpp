#include "inject/instrument.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include <nanobind/stl/string.h>

#include "analysis/flow.hpp"
#include "analysis/stack_depth.hpp"
#include "analysis/validate.hpp"
#include "bytecode/assemble.hpp"
#include "bytecode/disassemble.hpp"
#include "inject/place_lines.hpp"
#include "inject/place_statements.hpp"
#include "inject/splice_hooks.hpp"
#include "pyapi/code_object.hpp"

namespace splice {

namespace {

bool g_break_next_rewrite = false;

void sort_unique(std::vector<int>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

// One code object of the tree, decoded once.
struct Node {
    nb::object code;
    CodeFields fields;
    CodeUnit unit;
    Flow flow;
    std::vector<std::pair<int, int>> children;  // (const index, node index)
    int scope = kNone;       // the Scope statement this code object is the body of
    bool owns_statements = false;
    int last_line = kNone;   // the highest line of its instructions
    std::vector<int> lines;  // lines of its instructions, sorted; filled by lines_of() when needed
    std::vector<StatementHooks> statements;
    std::vector<LineHooks> line_hooks;
    std::unordered_map<int, std::size_t> statement_at, line_hooks_at;  // line -> index in the vectors above
    std::vector<nb::object> added_consts;
    std::unordered_map<PyObject*, int> added_index;  // identity -> constant index
};

class Tree {
public:
    Tree(nb::handle root, const SourceFile* source) : source_(source) {
        add(root);
        if (source_ && !source_->statements().ok) source_ = nullptr;
        if (source_ && !match_scopes()) source_ = nullptr;  // the source does not fit this code
        statements_ = source_ ? &source_->statements() : nullptr;
    }

    // Gives each node the hooks it carries for these requests.
    void assign(std::span<const Request> requests) {
        for (const Request& r : requests) {
            if (r.mode == Mode::Line) {
                for (Node& node : nodes_)
                    if (has_line(node, r.line)) line_hooks_at(node, r.line).calls.push_back(call_for(node, r));
            } else if (statements_) {
                const int s = statement_in_tree(r.line);
                if (s == kNone) continue;
                const Statement& st = statements_->statements[static_cast<std::size_t>(s)];
                Node& owner = nodes_[static_cast<std::size_t>(owner_.at(st.scope))];
                StatementHooks& hooks = statement_hooks_at(owner, st.first_line, logical_line_end(s));
                hooks.loops = source_->is_loop(st);
                const int continued = statements_->continuing(st.first_line);
                if (continued != kNone && statements_->statements[static_cast<std::size_t>(continued)].first_line < st.first_line)
                    hooks.shares_line_with = statements_->statements[static_cast<std::size_t>(continued)].first_line;
                hooks.calls.push_back(call_for(owner, r));
            } else {
                // Without source each line stands for its statement, in the outermost code object having it.
                for (Node& node : nodes_) {
                    if (!has_line(node, r.line)) continue;
                    StatementHooks& hooks = statement_hooks_at(node, r.line, r.line);
                    hooks.first_instruction_only = true;
                    hooks.calls.push_back(call_for(node, r));
                    break;
                }
            }
        }
    }

    Instrumented rebuild() {
        Instrumented out;
        out.code = rebuild_node(0, out.placed);
        sort_unique(out.placed);
        return out;
    }

    std::vector<int> placeable(Mode mode) {
        std::set<int> candidates;
        for (Node& node : nodes_) candidates.insert(lines_of(node).begin(), lines_of(node).end());
        if (mode == Mode::Statement && statements_)
            for (const Statement& st : statements_->statements) candidates.insert(st.first_line);
        std::vector<Request> requests;
        for (int line : candidates) requests.push_back({line, nb::none(), nb::none(), mode});
        assign(requests);
        std::vector<int> placed;
        for (Node& node : nodes_) {
            const HookPlan plan = plan_for(node);
            placed.insert(placed.end(), plan.placed_lines.begin(), plan.placed_lines.end());
        }
        sort_unique(placed);
        return placed;
    }

    std::vector<int> all_lines() {
        std::vector<int> lines;
        for (Node& node : nodes_) lines.insert(lines.end(), lines_of(node).begin(), lines_of(node).end());
        sort_unique(lines);
        return lines;
    }

private:
    int add(nb::handle code) {
        const int index = static_cast<int>(nodes_.size());
        nodes_.emplace_back();
        {
            Node& node = nodes_.back();
            node.code = nb::borrow(code);
            node.fields = read_code_fields(code);
            node.unit = disassemble(node.fields.raw());
            node.flow = analyze_flow(node.unit);
            for (const Item& item : node.unit.items)
                if (item.is_instr()) node.last_line = std::max(node.last_line, item.loc.line);
        }
        const nb::tuple consts = nodes_[static_cast<std::size_t>(index)].fields.consts;
        for (std::size_t c = 0; c < consts.size(); ++c) {
            if (!is_code(consts[c])) continue;
            const int child = add(consts[c]);
            nodes_[static_cast<std::size_t>(index)].children.emplace_back(static_cast<int>(c), child);
        }
        return index;
    }

    // Each module, def and class body owns the statements directly inside it.
    bool match_scopes() {
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            Node& node = nodes_[n];
            const std::string name = nb::cast<std::string>(node.code.attr("co_name"));
            if (name == "<module>") {
                node.owns_statements = true;
            } else if (!name.empty() && name[0] != '<') {  // lambdas, comprehensions: no statements
                node.scope = source_->find_scope(node.fields.first_line, name);
                node.owns_statements = node.scope != kNone;
                // The function asked for must be in the source; nested code may
                // be the compiler's own (3.12 type alias values, 3.14 __annotate__).
                if (n == 0 && !node.owns_statements) return false;
            }
            if (node.last_line > source_->line_count()) return false;  // stale source
            if (node.owns_statements) owner_.emplace(node.scope, static_cast<int>(n));
        }
        return true;
    }

    static const std::vector<int>& lines_of(Node& node) {
        if (node.lines.empty() && node.last_line != kNone) {
            for (const Item& item : node.unit.items)
                if (item.is_instr() && item.loc.line != kNone) node.lines.push_back(item.loc.line);
            sort_unique(node.lines);
        }
        return node.lines;
    }

    static bool has_line(Node& node, int line) {
        return std::binary_search(lines_of(node).begin(), lines_of(node).end(), line);
    }

    // The first statement beginning at `line` that a code object of this tree owns.
    int statement_in_tree(int line) const {
        const auto& all = statements_->statements;
        for (int s = statements_->beginning_at(line); s != kNone && s < static_cast<int>(all.size()) &&
                                                         all[static_cast<std::size_t>(s)].first_line == line;
             ++s) {
            if (owner_.count(all[static_cast<std::size_t>(s)].scope)) return s;
        }
        return kNone;
    }

    // Statements after the first one of a line (`a = 1; b = (2,\n 3)`) run to
    // the end of its logical line; without columns their code on that line
    // cannot be told from the first statement's, so the first one spans it all.
    int logical_line_end(int s) const {
        const auto& all = statements_->statements;
        const int first_line = all[static_cast<std::size_t>(s)].first_line;
        int end = all[static_cast<std::size_t>(s)].last_line;
        for (std::size_t t = static_cast<std::size_t>(s) + 1; t < all.size() && all[t].first_line == first_line; ++t)
            end = std::max(end, all[t].last_line);
        return end;
    }

    static LineHooks& line_hooks_at(Node& node, int line) {
        const auto [at, added] = node.line_hooks_at.try_emplace(line, node.line_hooks.size());
        if (added) node.line_hooks.push_back({line, {}});
        return node.line_hooks[at->second];
    }

    static StatementHooks& statement_hooks_at(Node& node, int first, int last) {
        const auto [at, added] = node.statement_at.try_emplace(first, node.statements.size());
        if (added) node.statements.push_back({first, last, {}});
        return node.statements[at->second];
    }

    // Constants are appended, never reordered: existing indices stay valid.
    static int const_index(Node& node, const nb::object& obj) {
        const int next = static_cast<int>(node.fields.consts.size() + node.added_consts.size());
        const auto [at, added] = node.added_index.try_emplace(obj.ptr(), next);
        if (added) node.added_consts.push_back(obj);
        return at->second;
    }

    static HookCall call_for(Node& node, const Request& r) { return {const_index(node, r.hook), const_index(node, r.arg)}; }

    HookPlan plan_for(const Node& node) const {
        HookPlan plan = place_statement_hooks(node.unit, node.flow, node.statements);
        plan.merge(place_line_hooks(node.unit, node.flow, node.line_hooks));
        return plan;
    }

    nb::object rebuild_node(int index, std::vector<int>& placed) {
        Node& node = nodes_[static_cast<std::size_t>(index)];
        std::vector<std::pair<int, nb::object>> new_children;
        for (const auto& [c, child] : node.children) {
            nb::object rebuilt = rebuild_node(child, placed);
            if (!rebuilt.is(nodes_[static_cast<std::size_t>(child)].code)) new_children.emplace_back(c, rebuilt);
        }
        const HookPlan plan = plan_for(node);
        placed.insert(placed.end(), plan.placed_lines.begin(), plan.placed_lines.end());
        if (plan.sites.empty() && new_children.empty()) return node.code;

        nb::list consts;
        for (std::size_t c = 0; c < node.fields.consts.size(); ++c) consts.append(node.fields.consts[c]);
        for (auto& [c, child] : new_children) consts[static_cast<std::size_t>(c)] = child;
        for (const nb::object& extra : node.added_consts) consts.append(extra);
        if (plan.sites.empty()) return node.code.attr("replace")(nb::arg("co_consts") = nb::tuple(consts));

        // Depths before the hooks matter only for choosing their exception handler.
        const StackDepths depths = node.unit.handlers.empty() ? StackDepths{} : compute_stack_depths(node.unit, &node.flow.bound);
        const CodeUnit spliced = splice_hooks(node.unit, depths, plan);
        const InstrIndex spliced_index = index_instructions(spliced);
        AssembledCode assembled = assemble(spliced, spliced_index);
        const StackDepths new_depths = compute_stack_depths(spliced, &spliced_index.bound);
        assembled.stacksize = std::max(node.fields.stacksize, new_depths.max_depth);
        if (g_break_next_rewrite) {
            g_break_next_rewrite = false;
            assembled.code[1] = static_cast<char>(assembled.code[1] ^ 1);
        }
        std::string error = new_depths.error;
        if (error.empty()) error = validate_assembled(spliced, spliced_index, assembled);
        if (!error.empty()) throw RewriteError("splice: the rewritten code of " + nb::cast<std::string>(nb::repr(node.code)) + " is invalid: " + error);
        return replace_code(node.code, assembled, nb::tuple(consts));
    }

    std::deque<Node> nodes_;  // a deque: nodes never move while the tree grows
    std::unordered_map<int, int> owner_;  // scope statement (kNone: module) -> node owning its statements
    const SourceFile* source_;
    const StatementMap* statements_ = nullptr;
};

}  // namespace

Instrumented instrument_tree(nb::handle code, std::span<const Request> requests, const SourceFile* source) {
    Tree tree(code, source);
    tree.assign(requests);
    return tree.rebuild();
}

void break_next_rewrite() { g_break_next_rewrite = true; }

std::vector<int> code_lines(nb::handle code) { return Tree(code, nullptr).all_lines(); }

std::vector<int> injectable_lines(nb::handle code, Mode mode, const SourceFile* source) {
    return Tree(code, source).placeable(mode);
}

}  // namespace splice
