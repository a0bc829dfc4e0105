#include "inject/instrument.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include <nanobind/stl/string.h>

#include "analysis/flow.hpp"
#include "analysis/stack_depth.hpp"
#include "analysis/validate.hpp"
#include "bytecode/assemble.hpp"
#include "bytecode/disassemble.hpp"
#include "inject/inline_body.hpp"
#include "inject/place_lines.hpp"
#include "inject/place_statements.hpp"
#include "inject/splice_hooks.hpp"
#include "pyapi/code_object.hpp"
#include "util/file_by_group.hpp"
#include "util/scratch.hpp"

namespace splice {

namespace {

bool g_break_next_rewrite = false;

// Each inline body costs the probe side a compile (tens of microseconds) when
// the code is rewritten, not when the probe first fires: a module probed at
// every line (hundreds of probes, most never hit) keeps the hook calls past these.
constexpr std::size_t kMaxInlineBodies = 32;

void sort_unique(std::vector<int>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

// A hook call given to a node, before the tree's calls are grouped by node
// and statement or line.
struct Assigned {
    int node = 0;
    Mode mode = Mode::Statement;
    int first_line = 0;  // line mode: the line
    int last_line = 0;
    bool loops = true;
    bool first_instruction_only = false;
    int shares_line_with = kNone;
    PyObject* hook = nullptr;  // borrowed from the requests, which outlive the grouping
    PyObject* arg = nullptr;
    HookCall call;             // filled when grouping
};

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
    // Its part of the tree's grouped calls (see Tree::group_calls).
    std::span<const StatementHooks> statements;
    std::span<const LineHooks> line_hooks;
    std::span<const nb::object> added_consts;
    // What its inline bodies add after those: constants, and names after co_names.
    std::vector<nb::object> inline_consts;
    std::vector<nb::object> inline_names;
    bool has_inline = false;
};

// A node's constants and names as an inline body's translation numbers them.
class NodeOperands : public OperandTable {
public:
    explicit NodeOperands(Node& node)
        : node_(node), first_const_(node.fields.consts.size() + node.added_consts.size()),
          names_(nb::borrow<nb::tuple>(node.code.attr("co_names"))) {}

    int constant(nb::handle value) override {
        for (std::size_t i = 0; i < node_.inline_consts.size(); ++i)
            if (node_.inline_consts[i].is(value)) return static_cast<int>(first_const_ + i);
        if (PyObject_Hash(value.ptr()) == -1) {
            PyErr_Clear();
            return kNone;
        }
        node_.inline_consts.push_back(nb::borrow(value));
        return static_cast<int>(first_const_ + node_.inline_consts.size() - 1);
    }

    int name(nb::handle value) override {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (equal(names_[i], value)) return static_cast<int>(i);
        for (std::size_t i = 0; i < node_.inline_names.size(); ++i)
            if (equal(node_.inline_names[i], value)) return static_cast<int>(names_.size() + i);
        node_.inline_names.push_back(nb::borrow(value));
        return static_cast<int>(names_.size() + node_.inline_names.size() - 1);
    }

private:
    static bool equal(nb::handle a, nb::handle b) { return a.is(b) || PyUnicode_Compare(a.ptr(), b.ptr()) == 0; }
    Node& node_;
    std::size_t first_const_;
    nb::tuple names_;
};

class Tree {
public:
    Tree(nb::handle root, const SourceFile* source, bool inline_probes = true) : source_(source), inline_probes_(inline_probes) {
        add(root);
        if (source_ && !source_->statements().ok) source_ = nullptr;
        if (source_) owner_.assign(source_->statements().statements.size() + 1, kNone);
        if (source_ && !match_scopes()) source_ = nullptr;  // the source does not fit this code
        statements_ = source_ ? &source_->statements() : nullptr;
    }

    // Gives each node the hooks it carries for these requests.
    void assign(std::span<const Request> requests) {
        assigned_.clear();
        assigned_.reserve(requests.size());
        for (const Request& r : requests) {
            Assigned call;
            call.mode = r.mode;
            call.first_line = call.last_line = r.line;
            call.hook = r.hook.ptr();
            call.arg = r.arg.ptr();
            if (r.mode == Mode::Line) {
                for (std::size_t n = 0; n < nodes_.size(); ++n) {
                    if (!has_line(nodes_[n], r.line)) continue;
                    call.node = static_cast<int>(n);
                    assigned_.push_back(call);
                }
            } else if (statements_) {
                const int s = statement_in_tree(r.line);
                if (s == kNone) continue;
                const Statement& st = statements_->statements[static_cast<std::size_t>(s)];
                call.node = owner_of(st.scope);
                call.last_line = logical_line_end(s);
                call.loops = source_->is_loop(st);
                const int continued = statements_->continuing(st.first_line);
                if (continued != kNone && statements_->statements[static_cast<std::size_t>(continued)].first_line < st.first_line)
                    call.shares_line_with = statements_->statements[static_cast<std::size_t>(continued)].first_line;
                assigned_.push_back(call);
            } else {
                // Without source each line stands for its statement, in the outermost code object having it.
                call.first_instruction_only = true;
                for (std::size_t n = 0; n < nodes_.size(); ++n) {
                    if (!has_line(nodes_[n], r.line)) continue;
                    call.node = static_cast<int>(n);
                    assigned_.push_back(call);
                    break;
                }
            }
        }
        group_calls();
    }

    Instrumented rebuild() {
        Instrumented out;
        out.code = rebuild_node(0, out.placed);
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

    bool inlined_any() const { return !inline_bodies_.empty(); }

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
            const std::string_view name = node.fields.name_view();
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
            if (node.owns_statements && owner_of(node.scope) == kNone) owner_of(node.scope) = static_cast<int>(n);
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
            if (owner_of(all[static_cast<std::size_t>(s)].scope) != kNone) return s;
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

    // Scratch of number_constants, kept from node to node.
    struct NumberingScratch {
        std::vector<std::pair<PyObject*, int>> by_identity;  // (object, use)
        std::vector<int> first_use;
        std::vector<int> index;
    };

    // Constants are appended, never reordered: existing indices stay valid.
    // Each object (by identity) gets one new index in the node, in order of
    // first use; `calls` are the node's, in request order. Use 2i is call i's
    // hook, 2i + 1 its argument.
    void number_constants(Node& node, std::span<Assigned> calls, NumberingScratch& scratch) {
        const int uses = static_cast<int>(calls.size() * 2);
        auto object_of = [&calls](int use) {
            const Assigned& a = calls[static_cast<std::size_t>(use / 2)];
            return use % 2 ? a.arg : a.hook;
        };
        auto& by_identity = scratch.by_identity;
        by_identity.clear();
        for (int use = 0; use < uses; ++use) by_identity.emplace_back(object_of(use), use);
        std::sort(by_identity.begin(), by_identity.end());  // one object's uses together, the first one first
        auto& first_use = scratch.first_use;
        first_use.resize(static_cast<std::size_t>(uses));
        for (std::size_t i = 0; i < by_identity.size(); ++i) {
            const bool repeat = i > 0 && by_identity[i - 1].first == by_identity[i].first;
            first_use[static_cast<std::size_t>(by_identity[i].second)] =
                repeat ? first_use[static_cast<std::size_t>(by_identity[i - 1].second)] : by_identity[i].second;
        }
        auto& index = scratch.index;
        index.resize(static_cast<std::size_t>(uses));
        const std::size_t node_first = added_consts_.size();
        for (int use = 0; use < uses; ++use) {
            const int first = first_use[static_cast<std::size_t>(use)];
            if (first == use) {
                index[static_cast<std::size_t>(use)] = static_cast<int>(node.fields.consts.size() + added_consts_.size() - node_first);
                added_consts_.push_back(nb::borrow(object_of(use)));
            } else {
                index[static_cast<std::size_t>(use)] = index[static_cast<std::size_t>(first)];
            }
        }
        for (std::size_t c = 0; c < calls.size(); ++c) calls[c].call = {index[2 * c], index[2 * c + 1]};
        node.added_consts = {added_consts_.data() + node_first, added_consts_.size() - node_first};
    }

    // One StatementHooks per statement and one LineHooks per line of each
    // node, each with its calls in request order, all in tree-wide vectors.
    void group_calls() {
        Scratch<int> node_start;
        std::vector<Assigned> by_node;
        file_by_group(
            nodes_.size(),
            [this](auto&& visit) {
                for (const Assigned& a : assigned_) visit(a.node, a);
            },
            node_start, by_node);
        assigned_ = std::move(by_node);
        // Reserved in full: the nodes' spans point into these vectors.
        added_consts_.clear();
        added_consts_.reserve(assigned_.size() * 2);
        calls_.clear();
        calls_.reserve(assigned_.size());
        statement_hooks_.clear();
        statement_hooks_.reserve(assigned_.size());
        line_hooks_.clear();
        line_hooks_.reserve(assigned_.size());
        NumberingScratch scratch;
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            Node& node = nodes_[n];
            node.statements = {};
            node.line_hooks = {};
            node.added_consts = {};
            const std::span<Assigned> calls(assigned_.data() + node_start[n], assigned_.data() + node_start[n + 1]);
            if (calls.empty()) continue;
            number_constants(node, calls, scratch);
            if (InlineSource source = inline_probes_ ? inline_source() : nullptr) give_inline_bodies(node, calls, source);
            auto by_line = [](const Assigned& a, const Assigned& b) { return a.mode != b.mode ? a.mode < b.mode : a.first_line < b.first_line; };
            if (!std::is_sorted(calls.begin(), calls.end(), by_line)) std::stable_sort(calls.begin(), calls.end(), by_line);
            group_node_calls(node, calls);
        }
    }

    // Calls the probe side can turn into code of their own get it (inline_body.hpp).
    void give_inline_bodies(Node& node, std::span<Assigned> calls, InlineSource source) {
        node.inline_consts.clear();
        node.inline_names.clear();
        node.has_inline = false;
        auto* code = reinterpret_cast<PyCodeObject*>(node.code.ptr());
        if (!(code->co_flags & CO_OPTIMIZED)) return;  // module and class bodies keep their names in dicts
        const int arguments = code->co_argcount + code->co_kwonlyargcount + ((code->co_flags & CO_VARARGS) ? 1 : 0) +
                              ((code->co_flags & CO_VARKEYWORDS) ? 1 : 0);
        std::vector<int> deleted;
        bool deleted_known = false;
        NodeOperands operands(node);
        for (Assigned& a : calls) {
            if (inline_bodies_.size() >= kMaxInlineBodies) break;
            std::optional<InlineTemplate> made = source(a.hook, a.arg, code);
            if (!made) continue;
            if (!deleted_known) {
                deleted = deleted_slots(node.unit);
                deleted_known = true;
            }
            bool always_bound = true;
            for (const auto& parameter : made->parameters)
                if (const int* slot = std::get_if<int>(&parameter))
                    always_bound = always_bound && *slot < arguments && std::find(deleted.begin(), deleted.end(), *slot) == deleted.end();
            if (!always_bound) continue;
            std::optional<InlineBody> body = translate_inline(*made, operands);
            if (!body) continue;
            inline_bodies_.push_back(std::move(*body));
            a.call.inline_body = &inline_bodies_.back();
            node.has_inline = true;
        }
    }

    void group_node_calls(Node& node, std::span<const Assigned> sorted) {
        const HookCall* first_call = calls_.data() + calls_.size();
        const StatementHooks* first_statement = statement_hooks_.data() + statement_hooks_.size();
        const LineHooks* first_line = line_hooks_.data() + line_hooks_.size();
        for (const Assigned& a : sorted) calls_.push_back(a.call);
        for (std::size_t begin = 0, end; begin < sorted.size(); begin = end) {
            const Assigned& a = sorted[begin];
            for (end = begin + 1; end < sorted.size() && sorted[end].mode == a.mode && sorted[end].first_line == a.first_line;) ++end;
            const std::span<const HookCall> calls(first_call + begin, end - begin);
            if (a.mode == Mode::Line) {
                line_hooks_.push_back({a.first_line, calls});
            } else {
                statement_hooks_.push_back({a.first_line, a.last_line, calls, a.first_instruction_only, a.loops, a.shares_line_with});
            }
        }
        node.statements = {first_statement, statement_hooks_.data() + statement_hooks_.size()};
        node.line_hooks = {first_line, line_hooks_.data() + line_hooks_.size()};
    }

    HookPlan plan_for(const Node& node) const {
        HookPlan plan = place_statement_hooks(node.unit, node.flow, node.statements);
        if (!node.line_hooks.empty()) plan.merge(place_line_hooks(node.unit, node.flow, node.line_hooks));
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

        std::vector<nb::object> appended;
        std::span<const nb::object> added = node.added_consts;
        if (node.has_inline) {  // the inline bodies' constants come after the calls'
            appended.assign(node.added_consts.begin(), node.added_consts.end());
            appended.insert(appended.end(), node.inline_consts.begin(), node.inline_consts.end());
            added = appended;
        }
        const nb::tuple consts = with_constants(node.fields.consts, new_children, added);
        if (plan.sites.empty()) return replace_constants(node.code, node.fields, consts);

        std::optional<StackDepths> depths;
        if (node.has_inline) {
            depths = compute_stack_depths(node.unit, &node.flow.bound);
            if (!depths->error.empty()) depths.reset();  // the hook calls serve
        }
        Spliced spliced = splice_hooks(node.unit, plan, depths ? &*depths : nullptr);
        const StackDepths new_depths = compute_stack_depths(spliced.unit, &spliced.index.bound);
        settle_hook_handlers(spliced, new_depths);
        AssembledCode assembled = assemble(spliced.unit, spliced.index);
        assembled.stacksize = std::max(node.fields.stacksize, new_depths.max_depth);
        if (g_break_next_rewrite) {
            g_break_next_rewrite = false;
            assembled.code[1] = static_cast<char>(assembled.code[1] ^ 1);
        }
        std::string error = new_depths.error;
        if (error.empty()) error = validate_assembled(spliced.unit, spliced.index, assembled);
        if (!error.empty()) throw RewriteError("splice: the rewritten code of " + nb::cast<std::string>(nb::repr(node.code)) + " is invalid: " + error);
        return replace_code(node.code, assembled, consts, node.inline_names);
    }

    std::deque<Node> nodes_;  // a deque: nodes never move while the tree grows
    std::vector<Assigned> assigned_;  // the calls of the last assign(), grouped by node, statement or line
    std::vector<HookCall> calls_;
    std::vector<StatementHooks> statement_hooks_;
    std::vector<LineHooks> line_hooks_;
    std::vector<nb::object> added_consts_;
    std::deque<InlineBody> inline_bodies_;  // a deque: calls point into it
    // Scope statement (kNone: the module) -> the node owning its statements, or kNone.
    int& owner_of(int scope) { return owner_[static_cast<std::size_t>(scope + 1)]; }
    int owner_of(int scope) const { return owner_[static_cast<std::size_t>(scope + 1)]; }
    std::vector<int> owner_;
    const SourceFile* source_;
    const StatementMap* statements_ = nullptr;
    bool inline_probes_;
};

}  // namespace

Instrumented instrument_tree(nb::handle code, std::span<const Request> requests, const SourceFile* source) {
    Tree tree(code, source);
    tree.assign(requests);
    try {
        return tree.rebuild();
    } catch (const std::exception&) {
        if (!tree.inlined_any()) throw;
    }
    // A probe's code the interpreter would not take in the probed code: the hook calls serve.
    if (PyErr_Occurred()) PyErr_Clear();
    Tree plain(code, source, false);
    plain.assign(requests);
    return plain.rebuild();
}

void break_next_rewrite() { g_break_next_rewrite = true; }

std::vector<int> code_lines(nb::handle code) { return Tree(code, nullptr).all_lines(); }

std::vector<int> injectable_lines(nb::handle code, Mode mode, const SourceFile* source) {
    return Tree(code, source).placeable(mode);
}

}  // namespace splice
