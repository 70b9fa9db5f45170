"""Find a C function's or struct's definition in a source file by parsing.

A lab names what it removes by file and name, never by line numbers, so
the labs keep working while the rest of a file changes. This scanner knows
enough C for that: comments, string and character literals, preprocessor
lines (with their continuations) and the nesting of braces and
parentheses. It does not expand macros: a definition hidden behind one is
not found, and the lab's manifest must name something else.
"""

import re

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Token:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind = kind  # ident, punct, comment, string, pp, other
        self.text = text
        self.start = start
        self.end = end

    def __repr__(self):
        return "Token(%s, %r, %d)" % (self.kind, self.text, self.start)


def tokens(src):
    """Every token of src in order, whitespace left out."""
    i, n = 0, len(src)
    line_start = True  # only whitespace since the last newline
    out = []
    while i < n:
        c = src[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "#" and line_start:
            j = i
            while j < n:
                k = src.find("\n", j)
                if k < 0:
                    j = n
                    break
                # A comment may span lines inside a directive too.
                c_open = src.find("/*", j, k)
                if c_open >= 0:
                    c_close = src.find("*/", c_open + 2)
                    j = n if c_close < 0 else c_close + 2
                    continue
                if src[k - 1] == "\\":
                    j = k + 1
                    continue
                j = k
                break
            out.append(Token("pp", src[i:j], i, j))
            i = j
            continue
        line_start = False
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(Token("comment", src[i:j], i, j))
            i = j
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(Token("comment", src[i:j], i, j))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(Token("string", src[i:j], i, j))
            i = j
            continue
        m = _IDENT.match(src, i)
        if m:
            out.append(Token("ident", m.group(), i, m.end()))
            i = m.end()
            continue
        if c in "{}()[];,=":
            out.append(Token("punct", c, i, i + 1))
        else:
            out.append(Token("other", c, i, i + 1))
        i += 1
    return out


def _match(toks, i, open_c, close_c):
    """Index of the token closing the bracket toks[i] opens."""
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.kind != "punct":
            continue
        if t.text == open_c:
            depth += 1
        elif t.text == close_c:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced %s at offset %d" % (open_c, toks[i].start))


def _next_code(toks, i):
    while i < len(toks) and toks[i].kind == "comment":
        i += 1
    return i


class Definition:
    """Where a definition sits in the source (character offsets).

    start..end is the whole definition, from its first specifier to the
    closing brace (and, for a struct, its semicolon); body_start..body_end
    is what lies between the braces; comment_start is where the comment
    that introduces it begins (== start if there is none); name_start is
    where a function's name is.
    """

    def __init__(self, name, start, end, body_start, body_end, comment_start,
                 name_start=None):
        self.name = name
        self.name_start = name_start
        self.start = start
        self.end = end
        self.body_start = body_start
        self.body_end = body_end
        self.comment_start = comment_start


def _decl_start(src, toks, i):
    """Start of the declaration whose name is toks[i], and its comment."""
    j = i - 1
    while j >= 0:
        t = toks[j]
        if t.kind in ("comment", "pp") or (
            t.kind == "punct" and t.text in ";{}"
        ):
            break
        j -= 1
    start = toks[j + 1].start
    comment_start = start
    # The comment just above (nothing but one line break between) is its.
    if j >= 0 and toks[j].kind == "comment":
        gap = src[toks[j].end:start]
        if gap.strip() == "" and gap.count("\n") <= 1:
            comment_start = toks[j].start
    return start, comment_start


def find_function(src, name):
    """The definition of function name in src, or None."""
    toks = tokens(src)
    depth = 0
    for i, t in enumerate(toks):
        if t.kind == "punct":
            if t.text == "{":
                depth += 1
            elif t.text == "}":
                depth -= 1
            continue
        if depth or t.kind != "ident" or t.text != name:
            continue
        p = _next_code(toks, i + 1)
        if p >= len(toks) or toks[p].text != "(":
            continue
        close = _match(toks, p, "(", ")")
        b = _next_code(toks, close + 1)
        if b >= len(toks) or toks[b].text != "{":
            continue  # a prototype or a call at file scope
        end = _match(toks, b, "{", "}")
        start, comment_start = _decl_start(src, toks, i)
        return Definition(name, start, toks[end].end, toks[b].end,
                          toks[end].start, comment_start, t.start)
    return None


def find_struct(src, tag):
    """The definition `struct tag { ... };` at file scope, or None."""
    toks = tokens(src)
    depth = 0
    for i, t in enumerate(toks):
        if t.kind == "punct":
            if t.text == "{":
                depth += 1
            elif t.text == "}":
                depth -= 1
            continue
        if depth or t.kind != "ident" or t.text != "struct":
            continue
        n = _next_code(toks, i + 1)
        if n >= len(toks) or toks[n].text != tag:
            continue
        b = _next_code(toks, n + 1)
        if b >= len(toks) or toks[b].text != "{":
            continue
        end = _match(toks, b, "{", "}")
        semi = _next_code(toks, end + 1)
        if semi >= len(toks) or toks[semi].text != ";":
            continue  # struct tag { } variable; is not ours to take
        start, comment_start = _decl_start(src, toks, i)
        return Definition("struct " + tag, start, toks[semi].end,
                          toks[b].end, toks[end].start, comment_start)
    return None


def find(src, name):
    """A function, or a struct if name is "struct TAG"."""
    if name.startswith("struct "):
        return find_struct(src, name.split(None, 1)[1])
    return find_function(src, name)


def code_lines(text):
    """The lines of C code in text, comments and blank lines taken out,
    whitespace collapsed: what the leak check compares."""
    out = []
    pieces = []
    last = 0
    for t in tokens(text):
        if t.kind == "comment":
            pieces.append(text[last:t.start])
            pieces.append("\n" * t.text.count("\n"))
            last = t.end
    pieces.append(text[last:])
    for line in "".join(pieces).split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(line)
    return out
