"""Per hit: what a hook costs each time its line runs, side by side with the
alternatives, as loop times relative to the same loop with `hook(arg)`
written in the source (the floor).

  spliced      splice.inject_hook at the loop body's line (statement mode)
  line mode    the same in line mode
  settrace     sys.settrace calling the hook on that line
  monitoring   sys.monitoring LINE events calling the hook (3.12+)

And the cost of code without hooks: the same function before any injection,
after inject and eject, and while other functions carry hooks.
"""

import sys
import timeit

import splice

N = 20000
CALLS = []


def hook(arg):
    pass


def plain(n):
    total = 0
    for i in range(n):
        total += i
    return total


def spliced(n):
    total = 0
    for i in range(n):
        total += i
    return total


def spliced_line(n):
    total = 0
    for i in range(n):
        total += i
    return total


def hand_written(n):
    total = 0
    for i in range(n):
        hook(1); total += i  # noqa: E702
    return total


def unrelated(n):
    total = 0
    for i in range(n):
        total += i
    return total


BODY_LINE = spliced.__code__.co_firstlineno + 3


def best(function, repeat=7):
    return min(timeit.repeat(lambda: function(N), number=5, repeat=repeat)) / 5


def with_settrace():
    target = plain.__code__

    def local(frame, event, arg):
        if event == "line" and frame.f_lineno == BODY_LINE - (spliced.__code__.co_firstlineno - target.co_firstlineno):
            hook(1)
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code is target else None

    sys.settrace(tracer)
    try:
        return best(plain, repeat=3)
    finally:
        sys.settrace(None)


def with_monitoring():
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return None
    target = plain.__code__
    line = BODY_LINE - (spliced.__code__.co_firstlineno - target.co_firstlineno)
    tool = next(t for t in range(6) if monitoring.get_tool(t) is None)
    monitoring.use_tool_id(tool, "splice-bench")

    def on_line(code, number):
        if number == line:
            hook(1)
            return None
        return monitoring.DISABLE

    try:
        monitoring.register_callback(tool, monitoring.events.LINE, on_line)
        monitoring.set_local_events(tool, target, monitoring.events.LINE)
        return best(plain, repeat=3)
    finally:
        monitoring.set_local_events(tool, target, 0)
        monitoring.register_callback(tool, monitoring.events.LINE, None)
        monitoring.free_tool_id(tool)


def run():
    splice.inject_hook(spliced, hook, BODY_LINE, 1)
    splice.inject_hook(spliced_line, hook, BODY_LINE - spliced.__code__.co_firstlineno + spliced_line.__code__.co_firstlineno, 1,
                       mode="line")
    floor = best(hand_written)
    result = {
        "hits": N,
        "hand_written_ns_per_hit": floor / N * 1e9,
        "spliced_over_hand_written": best(spliced) / floor,
        "line_mode_over_hand_written": best(spliced_line) / floor,
        "settrace_over_hand_written": with_settrace() / floor,
    }
    monitored = with_monitoring()
    if monitored is not None:
        result["monitoring_over_hand_written"] = monitored / floor

    # Code without hooks: unchanged before, after inject + eject, and beside instrumented code.
    before = best(unrelated)
    original = unrelated.__code__
    splice.inject_hook(unrelated, hook, BODY_LINE - spliced.__code__.co_firstlineno + unrelated.__code__.co_firstlineno, 1)
    splice.eject_hook(unrelated, hook, BODY_LINE - spliced.__code__.co_firstlineno + unrelated.__code__.co_firstlineno, 1)
    assert unrelated.__code__ is original
    after = best(unrelated)
    result["untouched_after_eject_over_before"] = after / before
    result["untouched_beside_hooks_over_plain"] = best(unrelated) / best(plain)
    result["trace_function_installed"] = sys.gettrace() is not None
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
