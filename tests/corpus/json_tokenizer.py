"""A small JSON-like tokenizer and recursive-descent parser.

Errors carry the position of the offending character and are chained with
``raise ... from`` so that callers can see what went wrong underneath.
"""
import sys
import traceback

WHITESPACE = frozenset(" \t\r\n")
PUNCTUATION = {
    "{": "LBRACE",
    "}": "RBRACE",
    "[": "LBRACKET",
    "]": "RBRACKET",
    ":": "COLON",
    ",": "COMMA",
}
ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}


class ParseError(ValueError):
    def __init__(self, message, pos):
        super().__init__(f"{message} at offset {pos}")
        self.pos = pos


class Token:
    __slots__ = ("kind", "value", "pos")

    def __init__(self, kind, value, pos):
        self.kind, self.value, self.pos = kind, value, pos

    def __repr__(self):
        return f"Token({self.kind}, {self.value!r}, {self.pos})"


def _read_string(text, start):
    chars = []
    i = start + 1
    while True:
        if i >= len(text):
            raise ParseError("unterminated string", start)
        ch = text[i]
        if ch == '"':
            return "".join(chars), i + 1
        if ch == "\\":
            i += 1
            try:
                chars.append(ESCAPES[text[i]])
            except (KeyError, IndexError) as exc:
                raise ParseError("bad escape", i) from exc
        else:
            chars.append(ch)
        i += 1


def _read_number(text, start):
    i = start
    if text[i] == "-": i += 1
    while i < len(text) and (text[i].isdigit() or text[i] in ".eE+-"):
        i += 1
    literal = text[start:i]
    try:
        value = int(literal)
    except ValueError:
        try:
            value = float(literal)
        except ValueError:
            raise ParseError(f"bad number {literal!r}", start) from None
    return value, i


def tokenize(text):
    """Yield tokens; a generator so that errors surface lazily."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in WHITESPACE:
            i += 1
            continue
        if ch in PUNCTUATION:
            yield Token(PUNCTUATION[ch], ch, i)
            i += 1
        elif ch == '"':
            value, i = _read_string(text, i)
            yield Token("STRING", value, i)
        elif ch == "-" or ch.isdigit():
            start = i
            value, i = _read_number(text, i)
            yield Token("NUMBER", value, start)
        elif text.startswith(("true", "false", "null"), i):
            word = next(w for w in ("true", "false", "null") if text.startswith(w, i))
            yield Token("CONST", {"true": True, "false": False, "null": None}[word], i)
            i += len(word)
        else:
            raise ParseError(f"unexpected character {ch!r}", i)
    yield Token("EOF", None, i)


class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.current = next(self.tokens)
        self.depth = 0
        self.max_depth = 0

    def advance(self, expected=None):
        token = self.current
        if expected is not None and token.kind != expected:
            raise ParseError(f"expected {expected}, got {token.kind}", token.pos)
        if token.kind != "EOF":
            self.current = next(self.tokens)
        return token

    def parse_value(self):
        kind = self.current.kind
        if kind in ("STRING", "NUMBER", "CONST"):
            return self.advance().value
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        try:
            if kind == "LBRACE":
                return self.parse_object()
            elif kind == "LBRACKET":
                return self.parse_array()
            else:
                raise ParseError(f"unexpected {kind}", self.current.pos)
        finally:
            self.depth -= 1

    def parse_object(self):
        self.advance("LBRACE")
        result = {}
        if self.current.kind == "RBRACE":
            self.advance()
            return result
        while True:
            key = self.advance("STRING").value
            self.advance("COLON")
            result[key] = self.parse_value()
            if self.current.kind == "COMMA":
                self.advance()
                continue
            self.advance("RBRACE")
            return result

    def parse_array(self):
        self.advance("LBRACKET")
        items = []
        while self.current.kind != "RBRACKET":
            items.append(self.parse_value())
            if self.current.kind != "RBRACKET": self.advance("COMMA")
        self.advance("RBRACKET")
        return items


def loads(text):
    parser = Parser(text)
    value = parser.parse_value()
    parser.advance("EOF")
    return value, parser.max_depth


def _frames(exc):
    return [(f.name, f.lineno) for f in traceback.extract_tb(exc.__traceback__) if f.filename == __file__]


DOCUMENTS = [
    '{"name": "splice", "tags": ["bytecode", "hooks"], "stars": 42, "ratio": -1.5e2}',
    '[1, 2, [3, [4, [5]]], {"deep": {"deeper": [true, false, null]}}]',
    '"escaped \\"quote\\" and \\n newline"',
    '{"a": [1, 2,, 3]}',
    '{"a": "unterminated}',
    '[1, 2, @]',
    '{"bad": "\\q"}',
    '[12e, 3]',
]


def main():
    results = []
    for doc in DOCUMENTS:
        try:
            value, depth = loads(doc)
        except ParseError as exc:
            cause = type(exc.__cause__).__name__ if exc.__cause__ else None
            results.append(("error", str(exc), exc.pos, cause, exc.__suppress_context__, _frames(exc)))
        else:
            results.append(("ok", value, depth))
    kinds = [t.kind for t in tokenize('{"k": [1, true]}')]
    results.append((kinds, sys._getframe().f_lineno))
    return results


def crash():
    return loads('{"key": [1, 2 3]}')


if __name__ == "__main__":
    print(main())
