"""A tiny Markdown-to-HTML converter: block state machine plus inline regex substitutions."""
import html
import re
import sys

INLINE_RULES = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"\*(.+?)\*"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\(([^)]+)\)"), r'<a href="\2">\1</a>'),
]
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*]|(\d+)\.)\s+(.*)$")


def inline(text):
    text = html.escape(text, quote=False)
    for pattern, replacement in INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text


class Converter:
    def __init__(self):
        self.out = []
        self.paragraph = []
        self.list_kind = None
        self.in_code = False
        self.headings = []

    def flush_paragraph(self):
        if self.paragraph:
            self.out.append("<p>" + inline(" ".join(self.paragraph)) + "</p>")
            self.paragraph = []

    def close_list(self):
        if self.list_kind:
            self.out.append(f"</{self.list_kind}>")
            self.list_kind = None

    def feed(self, line):
        if line.startswith("```"):
            self.flush_paragraph(); self.close_list()
            self.out.append("</pre>" if self.in_code else "<pre>")
            self.in_code = not self.in_code
            return
        if self.in_code:
            self.out.append(html.escape(line))
            return
        if not line.strip():
            self.flush_paragraph()
            self.close_list()
        elif (m := HEADING.match(line)) is not None:
            self.flush_paragraph()
            self.close_list()
            level = len(m.group(1))
            self.headings.append((level, m.group(2)))
            self.out.append(f"<h{level}>{inline(m.group(2))}</h{level}>")
        elif m := LIST_ITEM.match(line):
            self.flush_paragraph()
            kind = "ol" if m.group(1) else "ul"
            if kind != self.list_kind:
                self.close_list()
                self.out.append(f"<{kind}>")
                self.list_kind = kind
            self.out.append(f"<li>{inline(m.group(2))}</li>")
        else:
            self.close_list()
            self.paragraph.append(line.strip())

    def finish(self):
        if self.in_code:
            raise ValueError("unclosed code block")
        self.flush_paragraph()
        self.close_list()
        return "\n".join(self.out)


def convert(text):
    conv = Converter()
    for line in text.splitlines():
        conv.feed(line)
    return conv.finish(), conv.headings


def toc(headings):
    lines = []
    for level, title in headings:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        lines.append("  " * (level - 1) + f"- [{title}](#{slug})")
    return lines


DOCUMENT = """\
# Splice *internals*

Splice rewrites **bytecode** so that `hook(arg)` runs
before a line. See [the docs](https://example.org/docs).

## Steps

1. decode
2. insert
3. assemble

- keeps <line numbers>
- keeps *tracebacks*

```
code = f.__code__ & mask
```
### Done ###
"""


def main():
    body, headings = convert(DOCUMENT)
    try:
        convert("```\nunclosed")
    except ValueError as exc:
        error = (str(exc), exc.__traceback__.tb_next.tb_lineno, sys._getframe().f_lineno)
    return {"html": body.splitlines(), "toc": toc(headings), "error": error}


if __name__ == "__main__":
    print(main())
