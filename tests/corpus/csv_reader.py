"""A CSV reader written as a character-level state machine, with typed columns and error rows."""
import sys

START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED = range(4)


class CSVError(ValueError):
    def __init__(self, message, row, col):
        super().__init__(f"row {row}, col {col}: {message}")
        self.row, self.col = row, col


def parse_line(line, row, delimiter=","):
    fields, field, state = [], [], START
    for col, ch in enumerate(line, 1):
        if state == START:
            if ch == '"':
                state = QUOTED
            elif ch == delimiter:
                fields.append("")
            else:
                field.append(ch); state = UNQUOTED
        elif state == UNQUOTED:
            if ch == delimiter:
                fields.append("".join(field)); field = []; state = START
            elif ch == '"':
                raise CSVError("quote in unquoted field", row, col)
            else:
                field.append(ch)
        elif state == QUOTED:
            if ch == '"': state = QUOTE_IN_QUOTED
            else: field.append(ch)
        elif state == QUOTE_IN_QUOTED:
            if ch == '"':
                field.append('"')
                state = QUOTED
            elif ch == delimiter:
                fields.append("".join(field))
                field, state = [], START
            else:
                raise CSVError("garbage after closing quote", row, col)
    if state == QUOTED:
        raise CSVError("unterminated quote", row, len(line))
    fields.append("".join(field))
    return fields


def convert(value, kind):
    if kind is int:
        return int(value)
    if kind is float:
        return float(value) if value else 0.0
    return value


def read(text, schema):
    lines = text.strip("\n").split("\n")
    header = parse_line(lines[0], 1)
    if len(header) != len(schema):
        raise CSVError(f"expected {len(schema)} columns", 1, 0)
    rows, errors = [], []
    for number, line in enumerate(lines[1:], 2):
        if not line or line.startswith("#"):
            continue
        try:
            fields = parse_line(line, number)
            if len(fields) != len(header):
                raise CSVError(f"{len(fields)} fields", number, 0)
            record = {name: convert(v, kind) for name, v, kind in zip(header, fields, schema)}
        except CSVError as exc:
            errors.append((exc.row, exc.col, str(exc)))
        except ValueError as exc:
            errors.append((number, None, type(exc).__name__, exc.__traceback__.tb_next.tb_lineno))
        else:
            rows.append(record)
    return rows, errors


DATA = '''
name,qty,price
widget,4,2.50
"gizmo, large",1,19.99
# a comment line
"say ""hi""",2,
broken"quote,1,1
"unterminated,1,1
bolt,many,0.1
nut,3
"ok"x,1,1
washer,100,0.02
'''


def main():
    rows, errors = read(DATA, (str, int, float))
    total = sum(r["qty"] * r["price"] for r in rows)
    try:
        read("a,b\n1,2", (str,))
    except CSVError as exc:
        header_error = (str(exc), sys._getframe().f_lineno)
    return {"rows": rows, "errors": errors, "total": round(total, 2), "header_error": header_error}


if __name__ == "__main__":
    print(main())
