"""Odoo's Apps shows each addon of the suite as a real app: its icon, its website, and its page
(static/description/index.html) made from its readme/ fragments by tools/readme.py and up to date with them."""

import ast
import importlib.util
import pathlib
import re
import struct

import lxml.html
import pytest

from odoo.tools import html_sanitize

PROJECT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = PROJECT / "addons"
SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]

_spec = importlib.util.spec_from_file_location("readme", PROJECT / "tools" / "readme.py")
readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme)
md = readme.markdown_to_html


def manifest(addon):
    return ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())


# ---------------------------------------------------------------------------------------------------------------------
# The pages, the icons and the website of the addons
# ---------------------------------------------------------------------------------------------------------------------


def test_the_pages_are_up_to_date_with_the_readme_fragments():
    assert readme.main(["--check"]) == 0, "an index.html differs from its readme/ fragments: run make readme"


@pytest.mark.parametrize("addon", SUITE)
def test_the_apps_page_shows_the_readme(addon):
    page = (ADDONS / addon / "static" / "description" / "index.html").read_text()
    # as Odoo's ir.module.module._get_desc reads it
    shown = lxml.html.fromstring(
        html_sanitize(lxml.html.tostring(lxml.html.document_fromstring(page), encoding="unicode"))
    )
    assert shown.xpath("//h1")[0].text_content() == manifest(addon)["name"]
    headings = [h.text_content() for h in shown.xpath("//h2")]
    assert headings[:2] == ["Configuration", "Usage"] and "Credits" in headings
    fragments = "".join(path.read_text() for path in (ADDONS / addon / "readme").glob("*.md"))
    assert len(shown.xpath("//table")) == len(re.findall(r"^\|? *:?-{3,}", fragments, re.M))
    assert not re.search(r"\*\*|`|\]\(", shown.text_content()), "Markdown left in the page"
    # the beginning of every fragment's first paragraph or item is there
    text = " ".join(shown.text_content().split())
    for path in (ADDONS / addon / "readme").glob("*.md"):
        first = next(line for line in path.read_text().splitlines() if line.strip() and line[0] not in "#|")
        assert re.sub(r"^(- |\d+\. )|[*`]", "", first).split(":")[0].strip() in text, path.name


@pytest.mark.parametrize("addon", SUITE)
def test_the_icon_is_a_png_odoo_shows(addon):
    data = (ADDONS / addon / "static" / "description" / "icon.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == height >= 128


def test_each_addon_has_its_own_icon():
    icons = {(ADDONS / addon / "static" / "description" / "icon.png").read_bytes() for addon in SUITE}
    assert len(icons) == len(SUITE)


def test_the_website_is_the_project_home_of_the_readme():
    home = re.search(r"^Project home: <(https://[^>]+)>$", (PROJECT / "README.md").read_text(), re.M)
    assert home, "README.md names no project home"
    assert not re.search(r"example\.(com|org|net)", home[1])
    assert {manifest(addon)["website"] for addon in SUITE} == {home[1]}


# ---------------------------------------------------------------------------------------------------------------------
# tools/readme.py's Markdown
# ---------------------------------------------------------------------------------------------------------------------


def test_headings_shift_below_the_section():
    assert md("# Top\n## Sub", shift=2) == "<h3>Top</h3>\n<h4>Sub</h4>"
    assert md("#### Deep", shift=3) == "<h6>Deep</h6>"


def test_a_paragraph_joins_its_lines_and_escapes_html():
    assert md("One line\nand <the> next & last.\n\nAnother.") == (
        "<p>One line and &lt;the&gt; next &amp; last.</p>\n<p>Another.</p>"
    )


def test_inline_markup():
    assert md("**Bold** and *italic*, `a_b * c`, [the docs](https://x.test/a?b=1&c=2), 2 * 3 * 4") == (
        "<p><strong>Bold</strong> and <em>italic</em>, <code>a_b * c</code>, "
        '<a href="https://x.test/a?b=1&amp;c=2">the docs</a>, 2 * 3 * 4</p>'
    )
    assert (
        md("**Sales > Settings**: *Tier* (tiers)")
        == "<p><strong>Sales &gt; Settings</strong>: <em>Tier</em> (tiers)</p>"
    )


def test_lists_with_continuation_lines_and_nesting():
    text = "Intro:\n- one\n  more\n- two:\n  - a\n    still a\n  - b\n- three\n\n1. first\n   again\n2. second"
    assert md(text) == (
        "<p>Intro:</p>\n<ul>\n<li>one more</li>\n<li>two:\n<ul>\n<li>a still a</li>\n<li>b</li>\n</ul>\n</li>\n"
        "<li>three</li>\n</ul>\n<ol>\n<li>first again</li>\n<li>second</li>\n</ol>"
    )


def test_tables():
    assert md("Before.\n\n| A | *B* |\n|---|:-:|\n| 1 | a & b |\n| 2 | `x` |\nAfter.") == (
        f'<p>Before.</p>\n<table class="{readme.TABLE_CLASS}">\n<thead>\n<tr>\n<th>A</th>\n<th><em>B</em></th>\n</tr>\n'
        "</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>a &amp; b</td>\n</tr>\n<tr>\n<td>2</td>\n<td><code>x</code></td>\n"
        "</tr>\n</tbody>\n</table>\n<p>After.</p>"
    )


def test_fenced_code():
    assert md("```sh\nmake <x>\n  two\n```\nAfter.") == "<pre><code>make &lt;x&gt;\n  two</code></pre>\n<p>After.</p>"
