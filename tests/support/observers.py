"""What debuggers, coverage tools and tracebacks see of a program: used to show that
instrumented code looks the same to them as the original code."""
import dis
import inspect
import io
import linecache
import os
import sys
import traceback

from . import run_code, walk_code
from .oracles import trace_run


def settrace_events(code, path, **run_kwargs):
    """Every sys.settrace event of the file's frames, as (event, co_name, f_lineno)."""
    run, tracer = trace_run(code, path, events=True, **run_kwargs)
    return run, tracer.events


def _free_tool_id():
    monitoring = sys.monitoring
    for tool in (monitoring.DEBUGGER_ID, 3, 4, monitoring.PROFILER_ID, monitoring.OPTIMIZER_ID):
        if monitoring.get_tool(tool) is None:
            return tool
    raise RuntimeError("no free sys.monitoring tool id")


def monitoring_lines(code, path, **run_kwargs):
    """sys.monitoring (3.12+) LINE events of the file's code, as (co_name, line), in order."""
    monitoring = sys.monitoring
    filename = str(path)
    events = []

    def on_line(code_obj, line):
        if code_obj.co_filename == filename:
            events.append((code_obj.co_name, line))

    tool = _free_tool_id()
    monitoring.use_tool_id(tool, "splice-semantic-tests")
    try:
        monitoring.register_callback(tool, monitoring.events.LINE, on_line)
        monitoring.set_events(tool, monitoring.events.LINE)
        try:
            run = run_code(code, path, **run_kwargs)
        finally:
            monitoring.set_events(tool, 0)
            monitoring.register_callback(tool, monitoring.events.LINE, None)
    finally:
        monitoring.free_tool_id(tool)
    return run, events


def coverage_lines(code, path, **run_kwargs):
    """The lines of ``path`` that coverage.py reports as executed."""
    import coverage

    filename = str(path)
    cov = coverage.Coverage(data_file=None, include=[filename], config_file=False)
    cov.start()
    try:
        run = run_code(code, path, **run_kwargs)
    finally:
        cov.stop()
    data = cov.get_data()
    wanted = os.path.realpath(filename)
    measured = [f for f in data.measured_files() if os.path.realpath(f) == wanted]
    if len(measured) != 1:
        raise AssertionError(f"coverage measured {sorted(data.measured_files())}, expected {filename}")
    return run, set(data.lines(measured[0]) or ())


# -- disassembly ---------------------------------------------------------------------------------


def _line_table(code):
    """The set of lines (None included) the code's line table maps instructions to."""
    if sys.version_info >= (3, 11):
        return {pos[0] for pos in code.co_positions()}
    if sys.version_info >= (3, 10):
        return {line for _, _, line in code.co_lines()}
    return {line for _, line in dis.findlinestarts(code)}


def _instruction_line(instr):
    if sys.version_info >= (3, 13):
        return instr.line_number
    if sys.version_info >= (3, 11):
        return instr.positions.lineno
    return instr.starts_line


def disassembly_problems(new_code, original_code):
    """Run dis on every code object of ``new_code`` and check what it shows.

    Checks: ``dis.dis`` and ``dis.get_instructions`` run; every instruction has an int line
    or None, and only lines the matching original code object has (a hook carries the line
    of the code it precedes); line tables cover the whole code (3.10+); jump targets and
    exception-table entries (3.11+) land on instruction boundaries inside the code.
    """
    problems = []
    try:
        dis.dis(new_code, file=io.StringIO())
    except Exception as exc:  # dis itself failing is the finding
        problems.append(f"dis.dis failed: {type(exc).__name__}: {exc}")
    # match nested code objects by (name, first line); equal nested code objects that the
    # compiler shared in the original may come back as separate objects, so compare key sets
    originals = {}
    for old in walk_code(original_code):
        originals.setdefault((old.co_name, old.co_firstlineno), []).append(old)
    new_codes = list(walk_code(new_code))
    new_keys = {(c.co_name, c.co_firstlineno) for c in new_codes}
    if new_keys != set(originals):
        problems.append(f"nested code objects differ: missing {sorted(set(originals) - new_keys)}, "
                        f"unexpected {sorted(new_keys - set(originals))}")
        return problems
    for new in new_codes:
        where = f"{new.co_name} (line {new.co_firstlineno})"
        olds = originals[(new.co_name, new.co_firstlineno)]
        allowed = set().union(*(_line_table(old) for old in olds)) | {None}
        try:
            instructions = list(dis.get_instructions(new))
        except Exception as exc:
            problems.append(f"{where}: dis.get_instructions failed: {type(exc).__name__}: {exc}")
            continue
        offsets = {i.offset for i in instructions}
        for instr in instructions:
            line = _instruction_line(instr)
            if line is not None and type(line) is not int:
                problems.append(f"{where}: {instr.opname} at {instr.offset} has line {line!r}")
            elif line not in allowed:
                problems.append(f"{where}: {instr.opname} at {instr.offset} has line {line}, "
                                f"which the original code object does not have")
            target = getattr(instr, "jump_target", None)
            if target is None and instr.opcode in set(dis.hasjrel) | set(dis.hasjabs):
                target = instr.argval
            if target is not None and target not in offsets:
                problems.append(f"{where}: {instr.opname} at {instr.offset} jumps to {target}, "
                                "not an instruction")
        table_lines = _line_table(new)
        if not table_lines <= allowed:
            problems.append(f"{where}: line table has lines {sorted(table_lines - allowed, key=str)} "
                            "that the original does not")
        if sys.version_info >= (3, 10):
            end = 0
            for start, stop, _ in new.co_lines():
                if start != end:
                    problems.append(f"{where}: co_lines leaves a gap at {end}")
                end = stop
            if end != len(new.co_code):
                problems.append(f"{where}: co_lines covers {end} of {len(new.co_code)} bytes")
        if sys.version_info >= (3, 11):
            for entry in dis.Bytecode(new).exception_entries:
                if not (0 <= entry.start < entry.end <= len(new.co_code)) or entry.target not in offsets:
                    problems.append(f"{where}: bad exception table entry {entry}")
    return problems


# -- tracebacks ----------------------------------------------------------------------------------


def crash_report(code, path):
    """Run the module body, call its ``crash()`` and describe the exception it raises.

    Returns a dict: the formatted exception (``traceback.format_exception``, all frames), the
    corpus frames as (name, lineno, source line) from ``traceback.extract_tb`` and from
    ``inspect.getinnerframes``, and the source lines linecache has for those line numbers.
    """
    report = {}

    def crash(namespace):
        try:
            namespace["crash"]()
        except BaseException as exc:  # crash() is expected to raise; anything it raises is reported
            report["exception"] = (type(exc).__name__, str(exc))
            report["formatted"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            filename = str(path)
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
            report["frames"] = [(f.name, f.lineno, f.line) for f in frames]
            report["source"] = [linecache.getline(filename, f.lineno).strip() for f in frames]
            report["inspect"] = [(fi.function, fi.lineno, tuple(fi.code_context or ()))
                                 for fi in inspect.getinnerframes(exc.__traceback__, context=1)
                                 if fi.filename == filename]
        else:
            report["exception"] = None

    run = run_code(code, path, before_main=crash, calls=0)
    report["run_error"] = run.error
    return report
