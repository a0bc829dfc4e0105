"""Statements spread over many lines, and many statements on one line (a report builder)."""
import sys


def here():
    return sys._getframe(1).f_lineno


def build_record(
    name,
    *,
    quantity,
    unit_price,
    discount=0.0,
    tags=(),
):
    return {
        "name": name,
        "quantity": quantity,
        "total": round(
            quantity
            * unit_price
            * (1 - discount),
            2,
        ),
        "tags": sorted(
            set(tags)
        ),
    }


def eligible(record, limits):
    return (
        record["quantity"] > limits["min_quantity"]
        and record["total"] < limits["max_total"]
        or "priority" in record["tags"]
        and not record["name"].startswith("x")
    )


def classify(total):
    if total > 1000 and \
            total < 5000:
        grade = "large"
    elif (total > 100
          or total < 0):
        grade = "medium" if total > 0 else "negative"
    elif total == 0: grade = "zero"
    else:
        grade = "small"
    return grade


QUERY = """
    SELECT name,
           quantity
      FROM items
     WHERE total > %(limit)s
"""

HEADER = ("name" "\t"
          "qty"
          "\t" "total")


def report(records, limits):
    lines = [HEADER]
    for record in records:
        if not eligible(record, limits): continue
        lines.append(
            "\t".join(
                [
                    record["name"],
                    str(record["quantity"]),
                    f"{record['total']:>8.2f}",
                ]
            )
        )
    return lines


def main():
    records = [
        build_record("widget", quantity=10, unit_price=2.5, tags=("priority", "new")),
        build_record(
            "gadget",
            quantity=3,
            unit_price=120.0,
            discount=0.1,
        ),
        build_record("xylophone", quantity=1, unit_price=45.0, tags=["priority"]),
        build_record("gizmo", quantity=500, unit_price=9.99, discount=0.05, tags=("bulk",)),
    ]
    limits = dict(
        min_quantity=2,
        max_total=400,
    )
    accent = "café"; size = len(accent); marks = [here(), here()]
    call_line = here(
    )
    nested_line = max(
        here(),
        0,
    )
    total = records[0]["total"] + \
        records[1]["total"] + \
        records[2]["total"]
    in_range = 0 < total \
        < 10000
    x = 1; y = 2; x, y = y, x
    if x > y: swapped = True
    else: swapped = False
    for r in records: r["grade"] = classify(r["total"])
    return {
        "report": report(records, limits),
        "grades": [r["grade"] for r in records] + [classify(0), classify(-5), classify(2000)],
        "query": [part.strip() for part in QUERY.strip().splitlines()],
        "header": HEADER,
        "lines": (marks, call_line, nested_line, size),
        "total": (round(total, 2), in_range, swapped),
    }


def crash():
    return build_record(
        "broken",
        quantity=2,
        unit_price=None,
    )


if __name__ == "__main__":
    print(main())
