#include "analysis/validate.hpp"

#include "bytecode/jumps.hpp"
#include "tables/exception_table.hpp"
#include "tables/line_tables.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// What the bytes say about one instruction.
struct Encoded {
    int op = 0;
    int arg = 0;
    int start = 0;  // code units, prefixes included
    int end = 0;    // after its caches
};

class Verifier {
public:
    Verifier(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled)
        : planned_(planned), instrs_(planned, index.instrs), label_ordinal_(index.ordinal), code_(assembled.code) {}

    std::string instructions() {
        const int total = static_cast<int>(code_.size() / 2);
        int pos = 0;
        encoded_.reserve(instrs_.size());
        for (std::size_t k = 0; k < instrs_.size(); ++k) {
            Encoded e;
            e.start = pos;
            for (;;) {
                if (pos >= total) return "the code ends inside instruction " + std::to_string(k);
                e.op = static_cast<unsigned char>(code_[static_cast<std::size_t>(pos) * 2]);
                e.arg = (e.arg << 8) | static_cast<unsigned char>(code_[static_cast<std::size_t>(pos) * 2 + 1]);
                ++pos;
                if (e.op != op::EXTENDED_ARG) break;
            }
            if (!op_valid(e.op)) return "an unknown opcode at instruction " + std::to_string(k);
            for (int c = 0; c < op_caches(e.op); ++c, ++pos)
                if (pos >= total || code_[static_cast<std::size_t>(pos) * 2] != 0) return "a bad cache after instruction " + std::to_string(k);
            e.end = pos;
            encoded_.push_back(e);
        }
        if (pos != total) return "the code goes on after the last instruction";
        for (std::size_t k = 0; k < instrs_.size(); ++k) {
            const Item& want = *instrs_[k];
            const Encoded& got = encoded_[k];
            const char* differs = nullptr;
            if (want.op != got.op) {
                differs = "opcode";
            } else if (op_is_jump(want.op)) {
                const int ordinal = label_ordinal_[static_cast<std::size_t>(want.label)];
                if (ordinal == kNone || ordinal >= static_cast<int>(encoded_.size()) ||
                    jump_target(got.op, got.arg, got.end) != encoded_[static_cast<std::size_t>(ordinal)].start)
                    differs = "jump target";
            } else if (want.arg != got.arg) {
                differs = "argument";
            }
            if (differs) return std::string(differs) + " differs at instruction " + std::to_string(k);
        }
        return {};
    }

    std::string positions(const AssembledCode& assembled) const {
        if (kBehavior.line_table == LineTableFormat::Lnotab) return {};  // lines live in the marks
        std::vector<int> starts(encoded_.size());
        for (std::size_t k = 0; k < encoded_.size(); ++k) starts[k] = encoded_[k].start;
        if (kBehavior.line_table == LineTableFormat::Ranges310) {
            const std::vector<int> lines = read_ranges310(assembled.line_table, planned_.first_line, starts);
            for (std::size_t k = 0; k < instrs_.size(); ++k)
                if (lines[k] != instrs_[k]->loc.line) return "line differs at instruction " + std::to_string(k);
            return {};
        }
        const std::vector<Location> locs = read_locations(assembled.line_table, planned_.first_line, starts);
        for (std::size_t k = 0; k < instrs_.size(); ++k)
            if (!(locs[k] == instrs_[k]->loc)) return "position differs at instruction " + std::to_string(k);
        return {};
    }

    std::string handlers(const AssembledCode& assembled) const {
        if (!kBehavior.exception_table) return {};
        const std::vector<ExceptionEntry> entries = read_exception_table(assembled.exception_table);
        std::size_t entry = 0;
        for (std::size_t k = 0; k < instrs_.size(); ++k) {
            const int at = encoded_[k].start;
            while (entry < entries.size() && entries[entry].end <= at) ++entry;
            const bool covered = entry < entries.size() && entries[entry].start <= at;
            const int h = instrs_[k]->handler;
            if (covered != (h != kNone)) return "exception handling differs at instruction " + std::to_string(k);
            if (!covered) continue;
            const Handler& want = planned_.handlers[static_cast<std::size_t>(h)];
            const ExceptionEntry& got = entries[entry];
            const int ordinal = label_ordinal_[static_cast<std::size_t>(want.label)];
            if (got.depth != want.depth || got.lasti != want.lasti || ordinal == kNone ||
                got.target != encoded_[static_cast<std::size_t>(ordinal)].start)
                return "exception handler differs at instruction " + std::to_string(k);
        }
        return {};
    }

private:
    // The planned instructions by ordinal.
    struct Instrs {
        const CodeUnit& unit;
        const std::vector<int>& item_of;
        std::size_t size() const { return item_of.size(); }
        const Item* operator[](std::size_t k) const { return &unit.items[static_cast<std::size_t>(item_of[k])]; }
    };

    const CodeUnit& planned_;
    Instrs instrs_;
    const std::vector<int>& label_ordinal_;
    const std::string& code_;
    std::vector<Encoded> encoded_;
};

}  // namespace

std::string validate_assembled(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled) {
    if (assembled.code.size() % 2) return "co_code has an odd length";
    Verifier verify(planned, index, assembled);
    // The planned unit's stack was checked when its size was computed; these
    // bytes are proven to encode that unit.
    if (std::string error = verify.instructions(); !error.empty()) return error;
    if (std::string error = verify.positions(assembled); !error.empty()) return error;
    return verify.handlers(assembled);
}

}  // namespace splice
