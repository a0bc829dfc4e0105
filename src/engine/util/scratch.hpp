// Temporaries that keep their capacity from one code object to the next.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace splice {

// A vector lent by this thread's pool for the length of a pass. Passes run
// once per code object, and allocating and freeing their temporaries each
// time costs more than the work on small code: a Scratch takes a vector that
// an earlier pass gave back (empty, with its capacity) and gives it back when
// it goes out of scope. Scratches nest freely; very large vectors are not kept.
template <class T>
class Scratch : public std::vector<T> {
public:
    Scratch() {
        auto& kept = pool();
        if (!kept.empty()) {
            std::vector<T>::swap(kept.back());
            kept.pop_back();
        }
    }
    ~Scratch() {
        if (this->capacity() == 0 || this->capacity() * sizeof(T) > kKeepBytes) return;
        this->clear();
        pool().push_back(std::move(static_cast<std::vector<T>&>(*this)));
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

private:
    // What a thread keeps is bounded: vectors past 64 KB (code objects of many
    // thousand instructions) are freed as usual.
    static constexpr std::size_t kKeepBytes = 1 << 16;
    static std::vector<std::vector<T>>& pool() {
        thread_local std::vector<std::vector<T>> kept;
        return kept;
    }
};

}  // namespace splice
