"""bookbuild.page_weight: the icons the pages name, taken from Font Awesome's script, and nothing else."""

from __future__ import annotations

import json
import re

from bookbuild.page_weight import ICONS, font_awesome_icons, icons_named, write_icons

#: Font Awesome's free SVG script reduced to its shape: one ``var p={...}`` per pack, handed to ``d(prefix, p)``.
SCRIPT = (
    'var p={bars:[448,512,["navicon"],"f0c9","M0 96h448"],"file":[384,512,[128196],"f15b","M0 64h384"]};'
    'x(function(){d("fas",p),d("fa-solid",p)});'
    'var p={"file":[384,512,[],"f15b","M1 1h2"]};x(function(){d("far",p),d("fa-regular",p)});'
    'var p={github:[496,512,[],"f09b","M9 9h9"],0:[1,2,[],"30","M0 0"]};x(function(){d("fab",p),d("fa-brands",p)});'
)


def test_font_awesome_icons_reads_every_pack():
    packs = font_awesome_icons(SCRIPT)
    assert packs == {
        "fas": {"bars": (448, 512, "M0 96h448"), "file": (384, 512, "M0 64h384")},
        "far": {"file": (384, 512, "M1 1h2")},
        "fab": {"github": (496, 512, "M9 9h9"), "0": (1, 2, "M0 0")},
    }


def test_icons_named_takes_the_pack_from_the_style_class():
    texts = [
        '<i class="fa-solid fa-bars fa-lg"></i>',
        "<i class='fa-regular fa-file'>",
        '<i class="fa-brands fa-github">',
    ]
    assert icons_named(texts) == {("fas", "bars"), ("fas", "lg"), ("far", "file"), ("fab", "github")}


def test_write_icons_keeps_only_the_icons_the_pages_and_scripts_name(tmp_path):
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "fontawesome.js").write_text(SCRIPT, encoding="utf-8")
    (scripts / "theme.js").write_text('button.classList = "fa-brands fa-github";', encoding="utf-8")
    (tmp_path / "index.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    written = write_icons(tmp_path).read_text(encoding="utf-8")
    assert written == (tmp_path / "_static" / ICONS).read_text(encoding="utf-8")
    icons = json.loads(re.search(r"const icons = (\{.*?\});\n", written).group(1))
    assert icons == {"fab": {"github": [496, 512, "M9 9h9"]}, "fas": {"bars": [448, 512, "M0 96h448"]}}
    assert "__" not in written
