// Hooks injected into live functions. Each function keeps its original code;
// its installed code is always rebuilt from the original and every active
// injection, so ejecting the last hook gives back the very original object.
#pragma once

#include <nanobind/nanobind.h>

#include <unordered_map>
#include <vector>

#include "inject/instrument.hpp"

namespace splice {

namespace nb = nanobind;

class Registry {
public:
    void inject(nb::handle function, Request request);
    void eject(nb::handle function, const Request& request);
    // The code injections are relative to: the original one if hooks are in.
    nb::object original_code(nb::handle function) const;

private:
    struct FunctionState {
        nb::object original;
        nb::object installed;
        nb::object weakref;  // drops the entry when the function dies
        std::vector<Request> injections;
    };

    FunctionState& state_for(nb::handle function);
    void install(nb::handle function, FunctionState& state);
    void forget(PyObject* function);

    std::unordered_map<PyObject*, FunctionState> functions_;
};

Registry& registry();

// The function object behind a function or bound method; TypeError otherwise.
nb::object as_function(nb::handle target, const char* api);

// Same hook, line, mode and argument (identity, or equality for plain values).
bool same_injection(const Request& a, const Request& b);

}  // namespace splice
