"""An asyncio pipeline: tasks, gather, async generators, async with and async comprehensions."""
import asyncio
import sys
import traceback


class Pool:
    """An async context manager handing out connections."""

    def __init__(self, size, log):
        self.size = size
        self.free = list(range(size))
        self.log = log

    async def __aenter__(self):
        await asyncio.sleep(0)
        self.log.append("pool open")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0)
        self.log.append(("pool close", exc_type.__name__ if exc_type else None))
        return exc_type is KeyError

    def connection(self):
        return Connection(self)


class Connection:
    def __init__(self, pool):
        self.pool = pool
        self.ident = None

    async def __aenter__(self):
        while not self.pool.free:
            await asyncio.sleep(0)
        self.ident = self.pool.free.pop(0)
        return self

    async def __aexit__(self, *exc_info):
        self.pool.free.append(self.ident)
        return False

    async def query(self, key):
        await asyncio.sleep(0)
        if key < 0:
            raise ValueError(f"negative key {key}")
        return key * key


async def ticker(limit):
    for i in range(limit):
        await asyncio.sleep(0)
        yield i
    yield "end"


async def paginate(pages):
    for page in pages:
        try:
            yield [item for item in page]
        except GeneratorExit:
            raise


async def fetch(pool, key, log):
    async with pool.connection() as conn:
        log.append(("fetch", key, conn.ident))
        return await conn.query(key)


async def run_queries(log):
    results = {}
    async with Pool(2, log) as pool:
        values = await asyncio.gather(*(fetch(pool, k, log) for k in (1, 2, 3, 4)))
        results["gather"] = values
        outcomes = await asyncio.gather(fetch(pool, -1, log), fetch(pool, 5, log), return_exceptions=True)
        results["mixed"] = [repr(o) for o in outcomes]
        task = asyncio.ensure_future(fetch(pool, -2, log))
        try:
            await task
        except ValueError as exc:
            results["task_error"] = (str(exc), [(f.name, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
                                                if f.filename == __file__])
        raise KeyError("suppressed by pool")
    results["after_pool"] = sys._getframe().f_lineno
    return results


async def consume():
    ticks = [t async for t in ticker(4) if t != 2]
    squares = {t: t * t async for t in ticker(3) if isinstance(t, int)}
    pages = []
    async for page in paginate([[1, 2], [3], [4, 5, 6]]):
        if len(page) == 1:
            continue
        pages.append(sum(page))
    else:
        pages.append("exhausted")
    agen = ticker(10)
    first = await agen.__anext__()
    await agen.aclose()
    return ticks, squares, pages, first


async def cancellable(log):
    try:
        while True:
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log.append("cancelled")
        raise


async def application():
    log = []
    results = await run_queries(log)
    consumed = await consume()
    task = asyncio.ensure_future(cancellable(log))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append(("task cancelled", task.cancelled()))
    return results, consumed, log


def main():
    return asyncio.run(application())


def crash():
    async def failing():
        log = []
        async with Pool(1, log) as pool:
            return await fetch(pool, -7, log)
    return asyncio.run(failing())


if __name__ == "__main__":
    print(main())
