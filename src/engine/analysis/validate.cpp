#include "analysis/validate.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include "bytecode/jumps.hpp"
#include "tables/exception_table.hpp"
#include "tables/line_tables.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

template <class Word>
Word load(const unsigned char* bytes) {
    Word word;
    std::memcpy(&word, bytes, sizeof(word));
    return word;
}

// Are the `units` code units at `bytes` all zero? Caches are a few units
// (about ten at most), checked in place with a load or two that may overlap
// instead of a call to memcmp for each instruction.
bool caches_zero(const unsigned char* bytes, int units) {
    const std::size_t size = static_cast<std::size_t>(units) * 2;
    if (size == 0) return true;
    if (size == 2) return load<std::uint16_t>(bytes) == 0;
    if (size <= 8) return (load<std::uint32_t>(bytes) | load<std::uint32_t>(bytes + size - 4)) == 0;
    std::uint64_t bits = load<std::uint64_t>(bytes + size - 8);
    for (std::size_t at = 0; at + 8 < size; at += 8) bits |= load<std::uint64_t>(bytes + at);
    return bits == 0;
}

// What the bytes say about one instruction. No initializers: each is
// written once by the decoding before anything reads it.
struct Encoded {
    int start;  // code units, prefixes included
    int arg;
};

// Location's operator== compares raw bytes, which makes a position just
// decoded into registers go through memory first: field by field is cheaper.
bool same_position(const Location& a, const Location& b) {
    return a.line == b.line && a.end_line == b.end_line && a.col == b.col && a.end_col == b.end_col;
}

// The exception table entry covering each offset, asked for ascending
// offsets. Past the last entry, a sentinel that covers nothing stands in, so
// that the common step is two comparisons.
class CoveringEntry {
public:
    explicit CoveringEntry(std::string_view table) : reader_(table) {
        if (kBehavior.exception_table) advance();
        else exhausted();
    }

    const ExceptionEntry* at(int offset) {
        while (entry_.end <= offset) advance();
        return entry_.start <= offset ? &entry_ : nullptr;
    }

private:
    void advance() {
        if (!reader_.next(entry_)) exhausted();
    }
    void exhausted() { entry_.start = entry_.end = std::numeric_limits<int>::max(); }

    ExceptionTableReader reader_;
    ExceptionEntry entry_;
};

class Verifier {
public:
    Verifier(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled)
        : planned_(planned), item_of_(index.instrs), label_ordinal_(index.ordinal), assembled_(assembled) {}

    // Decodes the bytes, checking opcodes and plain arguments on the way.
    // Reads through raw pointers into locals: stores into the Encoded could
    // otherwise alias the vectors' sizes and force reloads every step.
    std::string instructions() {
        const auto* code = reinterpret_cast<const unsigned char*>(assembled_.code.data());
        const int total = static_cast<int>(assembled_.code.size() / 2);
        const std::size_t count = item_of_.size();
        const int* item_of = item_of_.data();
        const Item* items = planned_.items.data();
        Encoded* encoded = count < on_stack_.size() ? on_stack_.data() : (on_heap_.resize(count + 1), on_heap_.data());
        encoded_ = encoded;
        int pos = 0;
        for (std::size_t k = 0; k < count; ++k) {
            const int start = pos;
            if (pos >= total) return "the code ends inside instruction " + std::to_string(k);
            int op = code[pos * 2];
            unsigned arg = code[pos * 2 + 1];
            ++pos;
            while (op == op::EXTENDED_ARG) {  // a prefix: the argument's higher bytes
                if (pos >= total) return "the code ends inside instruction " + std::to_string(k);
                op = code[pos * 2];
                arg = (arg << 8) | code[pos * 2 + 1];
                ++pos;
            }
            encoded[k] = {start, static_cast<int>(arg)};
            const OpFacts facts = kOpFacts[static_cast<std::size_t>(op)];  // a byte: always in the table
            if (!facts.valid) return "an unknown opcode at instruction " + std::to_string(k);
            // Caches are written as zeros, both bytes of each unit.
            const int caches = facts.caches;
            if (pos + caches > total) return "the code ends inside the caches of instruction " + std::to_string(k);
            if (!caches_zero(code + pos * 2, caches)) return "a bad cache after instruction " + std::to_string(k);
            pos += caches;
            const Item& want = items[item_of[k]];
            if (want.op != op) return "opcode differs at instruction " + std::to_string(k);
            if (!op_is_jump(op) && want.arg != static_cast<int>(arg)) return "argument differs at instruction " + std::to_string(k);
        }
        if (pos != total) return "the code goes on after the last instruction";
        encoded[count].start = pos;
        return {};
    }

    // With every start known: jump targets, positions and handlers, in one sweep.
    std::string targets_positions_handlers() const {
        const std::size_t count = item_of_.size();
        const int* item_of = item_of_.data();
        const Item* items = planned_.items.data();
        const Encoded* encoded = encoded_;
        PositionReader positions(assembled_.line_table, planned_.first_line);
        CoveringEntry entries(assembled_.exception_table);
        for (std::size_t k = 0; k < count; ++k) {
            const Item& want = items[item_of[k]];
            const int at = encoded[k].start;
            if (op_is_jump(want.op)) {
                // The instruction ends where the next one starts.
                const int target = jump_target(want.op, encoded[k].arg, encoded[k + 1].start);
                if (!lands_on(target, want.label)) return "jump target differs at instruction " + std::to_string(k);
            }
            if (kBehavior.line_table != LineTableFormat::Lnotab) {  // co_lnotab lines live in the marks
                const Location got = positions.at(at);
                const bool same = kBehavior.line_table == LineTableFormat::Ranges310 ? got.line == want.loc.line : same_position(got, want.loc);
                if (!same) return (kBehavior.line_table == LineTableFormat::Ranges310 ? "line" : "position") +
                                  std::string(" differs at instruction ") + std::to_string(k);
            }
            if (!kBehavior.exception_table) continue;
            const ExceptionEntry* entry = entries.at(at);
            if ((entry != nullptr) != (want.handler != kNone)) return "exception handling differs at instruction " + std::to_string(k);
            if (!entry) continue;
            const Handler& handler = planned_.handlers[static_cast<std::size_t>(want.handler)];
            if (entry->depth != handler.depth || entry->lasti != handler.lasti || !lands_on(entry->target, handler.label))
                return "exception handler differs at instruction " + std::to_string(k);
        }
        return {};
    }

private:
    // Is `offset` where the instruction the label binds starts in the bytes?
    bool lands_on(int offset, int label) const {
        const int ordinal = label_ordinal_[static_cast<std::size_t>(label)];
        return ordinal != kNone && ordinal < static_cast<int>(item_of_.size()) &&
               encoded_[static_cast<std::size_t>(ordinal)].start == offset;
    }

    const CodeUnit& planned_;
    const std::vector<int>& item_of_;       // instruction ordinal -> item index
    const std::vector<int>& label_ordinal_;
    const AssembledCode& assembled_;
    // Per ordinal, and the end of the code: most code objects are small and
    // keep theirs on the stack, spared an allocation and its zeroing.
    const Encoded* encoded_ = nullptr;
    std::array<Encoded, 512> on_stack_;
    std::vector<Encoded> on_heap_;
};

}  // namespace

// Not inlined: LTO would otherwise fold it into the large function that
// rebuilds a code object, where its loops run short of registers.
[[gnu::noinline]] std::string validate_assembled(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled) {
    if (assembled.code.size() % 2) return "co_code has an odd length";
    Verifier verify(planned, index, assembled);
    // The planned unit's stack was checked when its size was computed; these
    // bytes are proven to encode that unit.
    if (std::string error = verify.instructions(); !error.empty()) return error;
    return verify.targets_positions_handlers();
}

}  // namespace splice
