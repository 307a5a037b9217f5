"""Each addon's static/description/index.html, the page Odoo's Apps shows for it, made from its readme/ fragments as
the OCA's oca-gen-addon-readme makes it: the name and summary of the manifest, the description, then Configuration,
Usage and the credits. The fragments are Markdown of a small subset, the one they use (markdown_to_html).

python tools/readme.py            write the pages of every addon (make readme)
python tools/readme.py --check    only say which pages differ from what their fragments give (exit 1 if any)
"""

import argparse
import ast
import html
import pathlib
import re
import sys

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
# The fragments in the order of the page, each under its heading (the description has none), as the OCA orders them.
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]
# Then the credits: the manifest's authors and these fragments, each under its heading.
CREDITS = [("CONTRIBUTORS.md", "Contributors"), ("CREDITS.md", "Other credits")]
# Bootstrap's classes, which Odoo's web client has: the page is shown there, its own <style> would be dropped.
TABLE_CLASS = "table table-sm table-bordered"

# ---------------------------------------------------------------------------------------------------------------------
# Markdown (the subset of the readme fragments)
# ---------------------------------------------------------------------------------------------------------------------

INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
)
BULLET = re.compile(r"( *)([-*]|\d+\.) +(.*)")
HEADING = re.compile(r"(#{1,6}) +(.*?) *#*")
TABLE_RULE = re.compile(r"\|? *:?-+:? *(\| *:?-+:? *)*\|?")


def inline(text):
    """Code, links, strong and emphasis of one paragraph's text, the rest escaped."""
    out, pos = [], 0
    for match in INLINE.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        if match["code"] is not None:
            out.append(f"<code>{html.escape(match['code'], quote=False)}</code>")
        elif match["url"] is not None:
            out.append(f'<a href="{html.escape(match["url"])}">{inline(match["text"])}</a>')
        elif match["strong"] is not None:
            out.append(f"<strong>{inline(match['strong'])}</strong>")
        else:
            out.append(f"<em>{inline(match['em'])}</em>")
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines):
    head, rows = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    out = [f'<table class="{TABLE_CLASS}">', "<thead>", "<tr>"]
    out += [f"<th>{inline(cell)}</th>" for cell in head]
    out += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        out += ["<tr>", *(f"<td>{inline(cell)}</td>" for cell in row), "</tr>"]
    out += ["</tbody>", "</table>"]
    return out


def _list(lines):
    """A list and the lists nested in it: an item's continuation lines are indented past its bullet."""
    indent = len(BULLET.fullmatch(lines[0])[1])
    tag = "ol" if BULLET.fullmatch(lines[0])[2][0].isdigit() else "ul"
    items = []
    for line in lines:
        match = BULLET.fullmatch(line)
        if match and len(match[1]) == indent:
            items.append([match[3]])
        else:
            items[-1].append(line)
    out = [f"<{tag}>"]
    for item in items:
        text, nested = [item[0]], []
        for line in item[1:]:
            if nested or (BULLET.fullmatch(line) and len(BULLET.fullmatch(line)[1]) > indent):
                nested.append(line)
            else:
                text.append(line.strip())
        if nested:
            out += [f"<li>{inline(' '.join(text))}", *_list(nested), "</li>"]
        else:
            out.append(f"<li>{inline(' '.join(text))}</li>")
    out.append(f"</{tag}>")
    return out


def markdown_to_html(text, shift=0):
    """HTML of ``text``: headings (shifted down ``shift`` levels), paragraphs, lists (nested, bulleted or numbered),
    tables, fenced code blocks; code, links, strong and emphasis inside them."""
    out, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            out.append(f"<pre><code>{html.escape(chr(10).join(lines[i + 1 : end]), quote=False)}</code></pre>")
            i = end + 1
        elif match := HEADING.fullmatch(line):
            level = min(len(match[1]) + shift, 6)
            out.append(f"<h{level}>{inline(match[2])}</h{level}>")
            i += 1
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and TABLE_RULE.fullmatch(lines[i + 1].strip()):
            end = next((j for j in range(i + 2, len(lines)) if not lines[j].lstrip().startswith("|")), len(lines))
            out += _table(lines[i:end])
            i = end
        elif BULLET.fullmatch(line):
            end = i + 1
            while (
                end < len(lines) and lines[end].strip() and (lines[end].startswith(" ") or BULLET.fullmatch(lines[end]))
            ):
                end += 1
            out += _list(lines[i:end])
            i = end
        else:
            end = i + 1
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            out.append(f"<p>{inline(' '.join(part.strip() for part in lines[i:end]))}</p>")
            i = end
    return "\n".join(out)


def _starts_block(line):
    return bool(HEADING.fullmatch(line) or BULLET.fullmatch(line) or line.startswith("```") or line.startswith("|"))


# ---------------------------------------------------------------------------------------------------------------------
# The page of an addon
# ---------------------------------------------------------------------------------------------------------------------


def addon_html(addon_dir):
    """The index.html of the addon at ``addon_dir``, from its manifest and readme/ fragments."""
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    body = [f"<h1>{html.escape(manifest['name'])}</h1>"]
    if manifest.get("summary"):
        body.append(f"<p><strong>{html.escape(manifest['summary'])}</strong></p>")
    meta = [f"License: {html.escape(manifest['license'])}", f"Version: {html.escape(manifest['version'])}"]
    if manifest.get("website"):
        url = html.escape(manifest["website"])
        meta.append(f'Website: <a href="{url}">{url}</a>')
    body.append(f"<p>{' | '.join(meta)}</p>")
    for filename, title in SECTIONS:
        fragment = addon_dir / "readme" / filename
        if not fragment.is_file():
            continue
        if title:
            body.append(f"<h2>{html.escape(title)}</h2>")
        # the fragments' own headings sit below the section's
        body.append(markdown_to_html(fragment.read_text(), shift=2))
    body += ["<h2>Credits</h2>", "<h3>Authors</h3>", "<ul>"]
    body += [f"<li>{html.escape(author.strip())}</li>" for author in manifest["author"].split(",")]
    body.append("</ul>")
    for filename, title in CREDITS:
        fragment = addon_dir / "readme" / filename
        if fragment.is_file():
            body += [f"<h3>{html.escape(title)}</h3>", markdown_to_html(fragment.read_text(), shift=3)]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(manifest['name'])}</title>\n</head>\n<body>\n"
        '<section class="oe_container">\n' + "\n".join(body) + "\n</section>\n</body>\n</html>\n"
    )


def index_path(addon_dir):
    return addon_dir / "static" / "description" / "index.html"


def addons():
    return sorted(path.parent for path in ADDONS.glob("*/__manifest__.py"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is out of date")
    args = parser.parse_args(argv)
    stale = []
    for addon_dir in addons():
        page, wanted = index_path(addon_dir), addon_html(addon_dir)
        if page.is_file() and page.read_text() == wanted:
            continue
        stale.append(page)
        if not args.check:
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(wanted)
            print(f"wrote {page.relative_to(ADDONS.parent)}")
    if args.check and stale:
        for page in stale:
            print(f"out of date: {page.relative_to(ADDONS.parent)} (make readme)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
