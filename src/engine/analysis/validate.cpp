#include "analysis/validate.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "bytecode/jumps.hpp"
#include "tables/exception_table.hpp"
#include "tables/line_tables.hpp"
#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// Caches make up most of some instructions' bytes: compared with zeros in one go.
bool all_zero(const char* bytes, std::size_t size) {
    static constexpr char kZeros[64] = {};
    for (; size > sizeof(kZeros); size -= sizeof(kZeros), bytes += sizeof(kZeros))
        if (std::memcmp(bytes, kZeros, sizeof(kZeros)) != 0) return false;
    return size == 0 || std::memcmp(bytes, kZeros, size) == 0;
}

// What the bytes say about one instruction.
struct Encoded {
    int start = 0;  // code units, prefixes included
    int arg = 0;
};

class Verifier {
public:
    Verifier(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled)
        : planned_(planned), item_of_(index.instrs), label_ordinal_(index.ordinal), assembled_(assembled) {}

    // Decodes the bytes, checking opcodes and plain arguments on the way.
    std::string instructions() {
        const std::string& code = assembled_.code;
        const int total = static_cast<int>(code.size() / 2);
        int pos = 0;
        encoded_.resize(item_of_.size() + 1);
        for (std::size_t k = 0; k < item_of_.size(); ++k) {
            Encoded& e = encoded_[k];
            e.start = pos;
            int op = 0;
            for (;;) {
                if (pos >= total) return "the code ends inside instruction " + std::to_string(k);
                op = static_cast<unsigned char>(code[static_cast<std::size_t>(pos) * 2]);
                e.arg = (e.arg << 8) | static_cast<unsigned char>(code[static_cast<std::size_t>(pos) * 2 + 1]);
                ++pos;
                if (op != op::EXTENDED_ARG) break;
            }
            if (!op_valid(op)) return "an unknown opcode at instruction " + std::to_string(k);
            // Caches are written as zeros, both bytes of each unit.
            const int caches = op_caches(op);
            if (pos + caches > total) return "the code ends inside the caches of instruction " + std::to_string(k);
            if (!all_zero(code.data() + static_cast<std::size_t>(pos) * 2, static_cast<std::size_t>(caches) * 2))
                return "a bad cache after instruction " + std::to_string(k);
            pos += caches;
            const Item& want = planned(k);
            if (want.op != op) return "opcode differs at instruction " + std::to_string(k);
            if (!op_is_jump(op) && want.arg != e.arg) return "argument differs at instruction " + std::to_string(k);
        }
        if (pos != total) return "the code goes on after the last instruction";
        encoded_.back().start = pos;
        return {};
    }

    // With every start known: jump targets, positions and handlers, in one sweep.
    std::string targets_positions_handlers() const {
        PositionReader positions(assembled_.line_table, planned_.first_line);
        ExceptionTableReader entries(assembled_.exception_table);
        ExceptionEntry entry;
        bool more_entries = kBehavior.exception_table && entries.next(entry);
        for (std::size_t k = 0; k < item_of_.size(); ++k) {
            const Item& want = planned(k);
            const int at = encoded_[k].start;
            if (op_is_jump(want.op)) {
                // The instruction ends where the next one starts.
                const int target = jump_target(want.op, encoded_[k].arg, encoded_[k + 1].start);
                if (!lands_on(target, want.label)) return "jump target differs at instruction " + std::to_string(k);
            }
            if (kBehavior.line_table != LineTableFormat::Lnotab) {  // co_lnotab lines live in the marks
                const Location got = positions.at(at);
                const bool same = kBehavior.line_table == LineTableFormat::Ranges310 ? got.line == want.loc.line : got == want.loc;
                if (!same) return (kBehavior.line_table == LineTableFormat::Ranges310 ? "line" : "position") +
                                  std::string(" differs at instruction ") + std::to_string(k);
            }
            if (!kBehavior.exception_table) continue;
            while (more_entries && entry.end <= at) more_entries = entries.next(entry);
            const bool covered = more_entries && entry.start <= at;
            if (covered != (want.handler != kNone)) return "exception handling differs at instruction " + std::to_string(k);
            if (!covered) continue;
            const Handler& handler = planned_.handlers[static_cast<std::size_t>(want.handler)];
            if (entry.depth != handler.depth || entry.lasti != handler.lasti || !lands_on(entry.target, handler.label))
                return "exception handler differs at instruction " + std::to_string(k);
        }
        return {};
    }

private:
    const Item& planned(std::size_t k) const { return planned_.items[static_cast<std::size_t>(item_of_[k])]; }

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
    Scratch<Encoded> encoded_;               // per ordinal, and the end of the code
};

}  // namespace

std::string validate_assembled(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled) {
    if (assembled.code.size() % 2) return "co_code has an odd length";
    Verifier verify(planned, index, assembled);
    // The planned unit's stack was checked when its size was computed; these
    // bytes are proven to encode that unit.
    if (std::string error = verify.instructions(); !error.empty()) return error;
    return verify.targets_positions_handlers();
}

}  // namespace splice
