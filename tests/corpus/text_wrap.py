"""Greedy and balanced text wrapping, justification and a tiny table formatter."""
import sys

SAMPLE = """\
Splice puts small hook calls into running code. Naïve approaches rewrite
source files; this one edits bytecode — the interpreter's own language —
so line numbers, tracebacks and débogueurs keep working.

A second paragraph: short.
"""

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän"


def paragraphs(text):
    block = []
    for line in text.splitlines():
        if line.strip(): block.append(line.strip())
        elif block:
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)


def split_long(word, width):
    return [word[i:i + width] for i in range(0, len(word), width)] if len(word) > width \
        else [word]


def wrap(text, width):
    lines, current = [], ""
    for word in text.split():
        for piece in split_long(word, width):
            candidate = f"{current} {piece}" if current else piece
            if len(candidate) <= width:
                current = candidate
            else:
                lines.append(current)
                current = piece
    if current: lines.append(current)
    return lines


def justify(line, width):
    words = line.split()
    if len(words) == 1:
        return line.ljust(width)
    gaps = len(words) - 1
    spaces = width - sum(map(len, words))
    base, extra = divmod(spaces, gaps)
    out = ""
    for i, word in enumerate(words[:-1]):
        out += word + " " * (base + (1 if i < extra else 0))
    return out + words[-1]


def table(rows, headers):
    widths = [
        max(len(str(row[i])) for row in [headers, *rows])
        for i in range(len(headers))
    ]
    sep = "+".join("-" * (w + 2) for w in widths)
    fmt = " | ".join(
        "{:%s%d}" % ("<" if i == 0 else ">", w) for i, w in enumerate(widths)
    )
    out = [fmt.format(*headers), sep]
    out += [fmt.format(*row) for row in rows]
    return "\n".join(out)


def raggedness(lines, width):
    return sum((width - len(line)) ** 2 for line in lines[:-1])


def main():
    result = {}
    for width in (18, 30, 44):
        wrapped = [wrap(p, width) for p in paragraphs(SAMPLE + LONG_WORD)]
        flat = [line for para in wrapped for line in para]
        result[width] = {
            "lines": len(flat),
            "ragged": raggedness(flat, width),
            "justified": [justify(line, width) for line in wrapped[0][:-1]][:2],
            "last": flat[-1],
        }
    stats = [
        (p[:12], len(p.split()), f"{sum(map(len, p.split())) / len(p.split()):.2f}")
        for p in paragraphs(SAMPLE)
    ]
    text = table(stats, ("start", "words", "avg"))
    banner = ("=" * 10
              + " done "
              + "=" * 10)
    return result, text, banner, sys._getframe().f_lineno


if __name__ == "__main__":
    print(main())
