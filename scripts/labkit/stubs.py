"""Turn a tree into a lab's starting point, and check nothing leaked.

apply() replaces each [[stub]] function's body with the manifest's stub,
cuts each [[remove]] definition out whole (with the comment above it)
and marks each [[keep]] helper __maybe_unused (the student will call it;
until then the compiler must not reject it), finding them all by parsing
(csource), so edits elsewhere in the files do not matter. It returns the new text of every file it changed and the
code it took out.

leaks() then looks for that code anywhere else in the tree: a line of
the removed code that is not a common idiom (it appears nowhere in the
code that stays) must not be found in any file, docs included.
"""

import os
import subprocess

from . import csource

# Shorter lines are idioms (`bio_put(bio);`), never evidence of a copy.
MIN_LEAK_LINE = 16


class StubError(Exception):
    pass


def _cut(text, d):
    """text without definition d and its comment, blank lines tidied."""
    before, after = text[:d.comment_start], text[d.end:]
    if after.startswith("\n"):
        after = after[1:]
    if before.endswith("\n\n") and (after.startswith("\n") or not after):
        after = after[1:] if after.startswith("\n") else after
    if not after:
        before = before.rstrip("\n") + "\n"
    return before + after


def _stubbed(text, d, body):
    body = body.strip("\n")
    return text[:d.body_start] + "\n" + body + "\n" + text[d.body_end:]


def _find(text, item, what, find=csource.find):
    """The definition an item names, and sets item["found"] to its name.

    name may be a list: the first of them defined in the file (a lab
    that must survive a rename or a split of the function it stubs)."""
    names = item["name"] if isinstance(item["name"], list) else [item["name"]]
    for name in names:
        d = find(text or "", name)
        if d is not None:
            item["found"] = name
            return d
    raise StubError("%s: no definition of %s to %s"
                    % (item["file"], " or ".join(names), what))


def apply(lab, root):
    """({path: new text}, [removed code], [stub bodies]) for lab in root."""
    texts = {}
    removed = []
    for path in lab.files():
        with open(os.path.join(root, path), encoding="utf-8") as f:
            texts[path] = f.read()
    for item in lab.stubs:
        text = texts[item["file"]]
        d = _find(text, item, "stub")
        removed.append(text[d.body_start:d.body_end])
        texts[item["file"]] = _stubbed(text, d, item["body"])
    for item in lab.removes:
        text = texts[item["file"]]
        d = _find(text, item, "remove")
        removed.append(text[d.comment_start:d.end])
        texts[item["file"]] = _cut(text, d)
    for item in lab.keeps:
        text = texts[item["file"]]
        d = _find(text, item, "keep", csource.find_function)
        texts[item["file"]] = (text[:d.name_start] + "__maybe_unused " +
                               text[d.name_start:])
    for path in texts:
        texts[path] = _format(root, path, texts[path])
    return texts, removed, [s["body"] for s in lab.stubs]


def _format(root, path, text):
    """text as clang-format lays it out (the tree's style is checked by
    make check): the original was clean, so only what changed moves."""
    try:
        p = subprocess.run(["clang-format", "--style=file",
                            "--assume-filename=" + path], cwd=root,
                           input=text, capture_output=True, text=True)
    except FileNotFoundError:
        return text
    return p.stdout if p.returncode == 0 and p.stdout else text


def tree_files(root):
    """The files git tracks or would track in root (untracked included)."""
    out = subprocess.run(
        ["git", "-C", root, "ls-files", "-z", "--cached", "--others",
         "--exclude-standard"],
        stdout=subprocess.PIPE, check=True).stdout.decode()
    return sorted({p for p in out.split("\0") if p})


def _read(root, path):
    try:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def _normalized(text):
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def leaks(root, files, new_texts, removed, stub_bodies):
    """[(path, line)] where removed code is still found in the tree.

    files: the tree's files; new_texts: the stubbed files' text (the
    tree on disk may still hold the originals). A line of removed code
    counts only if it is long enough and found in no code that stays
    (as a whole line or inside one): then it is the lab's own, and any
    other file holding it - a doc quoting it, a script - gives it away.
    """
    kept = []
    for path in files:
        if not path.endswith((".c", ".h")):
            continue
        text = new_texts.get(path)
        if text is None:
            text = _read(root, path)
        if text is not None:
            kept += csource.code_lines(text)
    for body in stub_bodies:
        kept += csource.code_lines(body)
    kept_text = "\n".join(kept)
    suspects = []
    for code in removed:
        for line in csource.code_lines(code):
            if len(line) >= MIN_LEAK_LINE and line not in kept_text \
                    and line not in suspects:
                suspects.append(line)
    found = []
    for path in files:
        if path.endswith((".c", ".h")):
            continue  # their code is in kept: nothing there is a suspect
        text = new_texts.get(path)
        if text is None:
            text = _read(root, path)
        if text is None:
            continue
        flat = _normalized(text)
        for line in suspects:
            if line in flat:
                found.append((path, line))
    return found


def write(root, texts):
    for path, text in texts.items():
        with open(os.path.join(root, path), "w", encoding="utf-8") as f:
            f.write(text)
