#include "probes/probe.hpp"

#include <cstdio>

#include <nanobind/stl/string.h>

#include "bytecode/disassemble.hpp"
#include "pyapi/code_object.hpp"
#include "pyapi/frame_locals.hpp"
#include "version/opcodes.hpp"

namespace splice {

namespace {

thread_local CallingFrame t_probe_frame;  // the frame outlives the probe run

// Holds the thread's slot, found once per hit: each lookup of a thread_local
// in a shared library is a call into the dynamic loader.
struct RunningProbes {
    RunningProbes(CallingFrame& slot, const CallingFrame& frame) : slot_(slot) { slot_ = frame; }
    ~RunningProbes() { slot_ = CallingFrame(); }
    RunningProbes(const RunningProbes&) = delete;
    RunningProbes& operator=(const RunningProbes&) = delete;

private:
    CallingFrame& slot_;
};

nb::object evaluate(const nb::object& code, const nb::object& globals, const nb::object& scope) {
    PyObject* result = PyEval_EvalCode(code.ptr(), globals.ptr(), scope.ptr());
    if (!result) throw nb::python_error();
    return nb::steal(result);
}

void write_stderr(const std::string& line) {
    PyObject* stream = PySys_GetObject("stderr");  // borrowed
    if (stream && stream != Py_None && PyFile_WriteString(line.c_str(), stream) == 0) return;
    PyErr_Clear();
    std::fputs(line.c_str(), stderr);
}

// The exception instance (nanobind 1, for Python 3.8, may hold it unnormalized).
nb::object exception_of(nb::python_error& error) {
    error.restore();
    PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    const nb::object owned_type = nb::steal(type), owned_traceback = nb::steal(traceback);
    return nb::steal(value);
}

void report_exception(Probe& probe, nb::handle exception) {
    if (probe.errors++ == 0) write_stderr(describe_error(probe, exception) + "\n");
}

void report(Probe& probe, nb::python_error& error) { report_exception(probe, exception_of(error)); }

PyTypeObject* probe_type() {
    static PyTypeObject* const type = reinterpret_cast<PyTypeObject*>(nb::type<Probe>().ptr());
    return type;
}

// The probe's names, then the frame's locals over them, in a fresh dict: the
// interpreter's fast path for names, and the frame untouched until the probe
// is done. A module's frame keeps its names in the globals, looked up next.
nb::dict probe_scope(const Probe& probe, const nb::object& locals, const nb::object& globals) {
    nb::dict scope = nb::steal<nb::dict>(PyDict_Copy(probe.names.ptr()));
    if (!scope.is_valid() || (!locals.is(globals) && PyDict_Merge(scope.ptr(), locals.ptr(), 1) < 0)) throw nb::python_error();
    return scope;
}

// What the probe assigned goes to the frame's variables; the frame's locals
// are read again first, so that what the probe's calls changed there stays.
void store_back(const Probe& probe, nb::handle probed, const nb::dict& scope, const nb::object& globals) {
    const nb::object target = frame_locals(probed);
    for (nb::handle name : probe.stored) {
        PyObject* value = PyDict_GetItemWithError(scope.ptr(), name.ptr());  // borrowed
        if (value ? PyObject_SetItem(target.ptr(), name.ptr(), value) < 0 : PyErr_Occurred() != nullptr) throw nb::python_error();
        if (!value && PyMapping_HasKey(target.ptr(), name.ptr()) && PyObject_DelItem(target.ptr(), name.ptr()) < 0)
            throw nb::python_error();
    }
    if (!target.is(globals)) write_back_locals(probed);
}

void run_in(Probe& probe, const CallingFrame& frame) {
    if (!probe.enabled) return;
    ++probe.hits;
    try {
        switch (run_probe_function(probe, frame)) {
            case FunctionRun::done: return;
            case FunctionRun::raised: throw nb::python_error();
            case FunctionRun::not_here: break;
        }
        PyFrameObject* frame_object = frame.object();
        if (!frame_object) throw nb::python_error();
        const nb::handle probed(reinterpret_cast<PyObject*>(frame_object));
        const nb::object globals = nb::borrow(frame.globals());
        const nb::dict scope = probe_scope(probe, frame_locals(probed), globals);
        if (!probe.when.is_none()) {
            const nb::object condition = evaluate(probe.when, globals, scope);
            const int truth = PyObject_IsTrue(condition.ptr());
            if (truth < 0) throw nb::python_error();
            if (!truth) return;
        }
        evaluate(probe.run, globals, scope);
        if (nb::len(probe.stored) > 0) store_back(probe, probed, scope, globals);
    } catch (nb::python_error& error) {
        if (!error.matches(PyExc_Exception)) throw;  // KeyboardInterrupt, SystemExit: the program's business
        report(probe, error);
    }
}

}  // namespace

int Probe::traverse(visitproc visit, void* arg) const {
    for (PyObject* object : {run.ptr(), when.ptr(), names.ptr(), stored.ptr(), loads.ptr(), function.ptr()}) Py_VISIT(object);
    for (const auto& site_pointer : sites) {
        const ProbeSite& site = *site_pointer;
        for (PyObject* object : {site.code.ptr(), site.function_code.ptr(), site.function.ptr()}) Py_VISIT(object);
        for (const auto& argument : site.arguments)
            if (const auto* value = std::get_if<nb::object>(&argument)) Py_VISIT(value->ptr());
    }
    return 0;
}

void Probe::clear() {
    release();
    names = nb::dict();
}

void Probe::release() {
    sites.clear();
    function = nb::none();
}

std::string describe_error(const Probe& probe, nb::handle exception) {
    std::string text = "splice: probe " + probe.label + " raised " +
                       nb::cast<std::string>(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr()))).attr("__name__"));
    const nb::str message = nb::str(exception);
    if (nb::len(message) > 0) text += ": " + nb::cast<std::string>(message);
    return text;
}

void run_probes(nb::handle probes) {
    CallingFrame& running_frame = t_probe_frame;
    if (running_frame) return;  // a probe's own code reached a probed line
    const CallingFrame frame = CallingFrame::current();  // the hook is C++, so this is the probed frame
    if (!frame) return;
    RunningProbes running(running_frame, frame);
    // Indexed, not iterated: an iterator object per hit shows in the print benchmark.
    for (Py_ssize_t i = 0, n = PyTuple_GET_SIZE(probes.ptr()); i < n; ++i)
        run_in(*nb::inst_ptr<Probe>(PyTuple_GET_ITEM(probes.ptr(), i)), frame);
}

// A plain C function, so that the spliced call costs what a builtin's does
// (nanobind's dispatcher would cost more than the rest of a print probe).
PyObject* run_probes_hook(PyObject*, PyObject* probes) {
    if (!PyTuple_Check(probes)) {
        PyErr_SetString(PyExc_TypeError, "run_probes takes a tuple of splice probes");
        return nullptr;
    }
    for (Py_ssize_t i = 0, n = PyTuple_GET_SIZE(probes); i < n; ++i)
        if (!PyObject_TypeCheck(PyTuple_GET_ITEM(probes, i), probe_type())) {
            PyErr_SetString(PyExc_TypeError, "run_probes takes a tuple of splice probes");
            return nullptr;
        }
    try {
        run_probes(probes);
    } catch (nb::python_error& error) {
        error.restore();
        return nullptr;
    } catch (const std::exception& error) {
        PyErr_SetString(PyExc_RuntimeError, error.what());
        return nullptr;
    }
    Py_RETURN_NONE;
}

PyObject* enter_inline_probe(PyObject*, PyObject* probe_object) {
    if (!PyObject_TypeCheck(probe_object, probe_type())) {
        PyErr_SetString(PyExc_TypeError, "splice: enter() takes a splice probe");
        return nullptr;
    }
    CallingFrame& running_frame = t_probe_frame;
    Probe& probe = *nb::inst_ptr<Probe>(probe_object);
    if (running_frame || !probe.enabled) Py_RETURN_FALSE;
    const CallingFrame frame = CallingFrame::current();  // a C function: this is the probed frame
    if (!frame) Py_RETURN_FALSE;
    running_frame = frame;
    ++probe.hits;
    Py_RETURN_TRUE;
}

PyObject* leave_inline_probe(PyObject*, PyObject*) {
    t_probe_frame = CallingFrame();
    Py_RETURN_NONE;
}

PyObject* inline_probe_failed(PyObject*, PyObject* const* args, Py_ssize_t count) {
    t_probe_frame = CallingFrame();
    if (count != 2 || !PyObject_TypeCheck(args[0], probe_type()) || !PyExceptionInstance_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "splice: failed() takes a splice probe and an exception");
        return nullptr;
    }
    PyObject* exception = args[1];
    if (!PyObject_TypeCheck(exception, reinterpret_cast<PyTypeObject*>(PyExc_Exception))) {
        // KeyboardInterrupt, SystemExit: the program's business.
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception)), exception);
        return nullptr;
    }
    try {
        report_exception(*nb::inst_ptr<Probe>(args[0]), exception);
    } catch (nb::python_error& error) {
        error.restore();
        return nullptr;
    }
    Py_RETURN_NONE;
}

nb::tuple names_stored_by(nb::handle code) {
    const CodeFields fields = read_code_fields(code);
    const nb::tuple names = nb::borrow<nb::tuple>(code.attr("co_names"));
    nb::set stored;
    for (const Item& item : disassemble(fields.raw()).items)
        if (item.is_instr() && (item.op == op::STORE_NAME || item.op == op::DELETE_NAME)) stored.add(names[item.arg]);
    return nb::tuple(stored);
}

nb::object probe_frame() {
    if (!t_probe_frame) return nb::none();
    PyFrameObject* frame = t_probe_frame.object();
    if (!frame) throw nb::python_error();
    return nb::borrow(reinterpret_cast<PyObject*>(frame));
}

}  // namespace splice
