"""Exception groups: except*, nested groups, notes, and asyncio.TaskGroup failures."""
import asyncio
import sys
import traceback


class RetryableError(Exception):
    pass


def validate(record):
    problems = []
    if not record.get("name"):
        problems.append(ValueError("name missing"))
    if not isinstance(record.get("age"), int):
        problems.append(TypeError(f"age must be int, not {type(record.get('age')).__name__}"))
    elif record["age"] < 0:
        problems.append(ValueError("age negative"))
    if "id" not in record:
        problems.append(KeyError("id"))
    if problems:
        group = ExceptionGroup(f"record {record.get('id', '?')}", problems)
        group.add_note(f"validated at line {sys._getframe().f_lineno}")
        raise group
    return record["id"]


def validate_all(records):
    failures = []
    for record in records:
        try:
            validate(record)
        except Exception as exc:
            failures.append(exc)
    if failures:
        raise ExceptionGroup("batch failed", failures)


def summarize(group):
    if isinstance(group, BaseExceptionGroup):
        return [group.message, [summarize(e) for e in group.exceptions], getattr(group, "__notes__", [])]
    return f"{type(group).__name__}: {group}"


def handle(records):
    handled = []
    try:
        validate_all(records)
    except* ValueError as eg:
        handled.append(("value", summarize(eg)))
    except* (KeyError, IndexError) as eg:
        handled.append(("lookup", len(eg.exceptions), [type(e).__name__ for e in eg.exceptions]))
    except* TypeError:
        handled.append(("type", sys._getframe().f_lineno))
    else:
        handled.append("all valid")
    return handled


def reraise_some(records):
    outcome = []
    try:
        try:
            validate_all(records)
        except* TypeError as eg:
            raise RuntimeError("types broken") from eg
        except* KeyError:
            pass
    except* RuntimeError as outer:
        outcome.append(("runtime", [str(e) for e in outer.exceptions],
                        type(outer.exceptions[0].__cause__).__name__))
    except* ValueError as outer:
        outcome.append(("value escaped", summarize(outer)))
    return outcome


async def job(name, delay, fail):
    for _ in range(delay):
        await asyncio.sleep(0)
    if fail:
        raise RetryableError(name)
    return name


async def orchestrate():
    results = []
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(job(n, d, f)) for n, d, f in (("a", 1, False), ("b", 2, True), ("c", 5, False))]
    except* RetryableError as eg:
        results.append(("retry", [str(e) for e in eg.exceptions],
                        [t.cancelled() for t in tasks]))
    async with asyncio.TaskGroup() as tg:
        ok = [tg.create_task(job(n, 1, False)) for n in "xyz"]
    results.append([t.result() for t in ok])
    return results


def main():
    records = [
        {"id": 1, "name": "ada", "age": 36},
        {"id": 2, "name": "", "age": -1},
        {"name": "bob", "age": "old"},
        {"id": 4, "name": "cy", "age": 3},
    ]
    try:
        validate(records[1])
    except ExceptionGroup as eg:
        frames = [(f.name, f.lineno) for f in traceback.extract_tb(eg.__traceback__)]
        notes = eg.__notes__
    return {
        "handle": handle(records),
        "handle_ok": handle([records[0]]),
        "reraise": reraise_some(records),
        "reraise_values": reraise_some([records[1]]),
        "frames": frames,
        "notes": notes,
        "tasks": asyncio.run(orchestrate()),
    }


def crash():
    handle([{"id": 9, "name": "z", "age": 1}])
    validate_all([{"id": 7, "name": "", "age": "x"}, {"name": "q", "age": 2}])


if __name__ == "__main__":
    print(main())
