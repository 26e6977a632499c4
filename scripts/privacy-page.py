#!/usr/bin/env python3
"""Writes docs/privacy.md as the extension page privacy.html, so the policy the options page
links to is the one shipped with that version and opens offline.

Usage: scripts/privacy-page.py docs/privacy.md dist/extension/privacy.html

Handles the Markdown the policy uses (headings, paragraphs, lists, tables, `code`, **bold**,
[links](#anchor)) and refuses anything else by name, so a new construct cannot be shown wrong.
"""
import html
import re
import sys


def inline(text):
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"\[([^\]]+)\]\((#[^)\s]+)\)", r'<a href="\2">\1</a>', out)
    if re.search(r"\]\(", out):
        raise ValueError(f"only links to anchors in this page are supported: {text!r}")
    return out


def anchor(title):
    # GitHub's rule, which the policy's own links follow: lower case, punctuation dropped.
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title.lower()))


def convert(md):
    lines = md.split("\n")
    body, para, i = [], [], 0

    def flush():
        if para:
            body.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
        elif m := re.match(r"(#{1,3}) (.*)", line):
            flush()
            level, title = len(m.group(1)), m.group(2)
            body.append(f'<h{level} id="{anchor(title)}">{inline(title)}</h{level}>')
        elif line.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            if len(rows) < 2 or not all(re.fullmatch(r":?-+:?", c) for c in rows[1]):
                raise ValueError(f"a table needs a header and a --- line: {rows[0]}")
            head = "".join(f"<th>{inline(c)}</th>" for c in rows[0])
            cells = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in rows[2:])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
            continue
        elif m := re.match(r"(\d+\.|-) (.*)", line):
            flush()
            tag = "ol" if m.group(1)[0].isdigit() else "ul"
            items = []
            while i < len(lines) and (m := re.match(r"(\d+\.|-) (.*)", lines[i])):
                item = [m.group(2)]
                i += 1
                while i < len(lines) and lines[i].startswith("  ") and lines[i].strip():
                    item.append(lines[i].strip())
                    i += 1
                items.append(f"<li>{inline(' '.join(item))}</li>")
            body.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        elif line.startswith(("```", ">", "    ", "<")):
            raise ValueError(f"unsupported Markdown on line {i + 1}: {line!r}")
        else:
            para.append(line.strip())
        i += 1
    flush()
    return "\n".join(body)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: privacy-page.py PRIVACY.md OUT.html")
    src, out = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        md = f.read()
    try:
        content = convert(md)
    except ValueError as e:
        sys.exit(f"{src}: {e}")
    page = f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cảnh Giác — Quyền riêng tư / Privacy</title>
<link rel="stylesheet" href="warning.css">
<style>main {{ max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5 }}
table {{ border-collapse: collapse }} td, th {{ border: 1px solid #bbb; padding: .3rem .5rem; vertical-align: top; text-align: left }}</style>
</head>
<body>
<main id="privacy">
{content}
</main>
</body>
</html>
"""
    with open(out, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
