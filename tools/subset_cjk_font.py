"""Make the Chinese figures' font: Noto Sans CJK SC cut down to GB 2312's characters, renamed, with its licence.

The subset (``lib/ridersurvey/fonts/RidersurveySansSC.otf``) is committed, so a fresh clone draws Chinese in
figures with nothing to install. Its source is Noto Sans CJK SC Regular 1.004 (SIL Open Font License 1.1),
the file ``mplfonts/fonts/NotoSansCJKsc-Regular.otf`` in the PyPI wheel ``mplfonts==0.0.11``
(``pip download --no-deps mplfonts==0.0.11``, then unzip). It keeps the 6,763 hanzi and the symbols of
GB 2312 (simplified Chinese text), printable ASCII, Latin-1, Greek and the punctuation of CJK text; as a
Modified Version under the OFL it carries another name.

Usage::

    python tools/subset_cjk_font.py NotoSansCJKsc-Regular.otf
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset

TARGET = Path(__file__).resolve().parents[1] / "lib" / "ridersurvey" / "fonts" / "RidersurveySansSC.otf"
FAMILY = "Ridersurvey Sans SC"
SOURCE = "Noto Sans CJK SC 1.004"


def gb2312() -> set[int]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def characters() -> set[int]:
    """GB 2312, printable ASCII, Latin-1, Greek, general and CJK punctuation, fullwidth forms, maths signs."""
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x391, 0x3C9), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    wanted = gb2312() | {c for lo, hi in ranges for c in range(lo, hi + 1)}
    return wanted | {0x2212, 0x2264, 0x2265, 0x2248, 0x00D7, 0x2192}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansCJKsc-Regular.otf")
    args = parser.parse_args(argv)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    font = subset.load_font(str(args.source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    names = font["name"]
    renamed = {
        1: FAMILY,
        4: FAMILY,
        16: FAMILY,
        6: FAMILY.replace(" ", "") + "-Regular",
        3: f"{FAMILY}; {SOURCE}",
    }
    for record in list(names.names):
        if record.nameID in renamed:
            names.setName(renamed[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID)
    cff = font["CFF "].cff
    cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
    top = cff.topDictIndex[0]
    for field in ("FamilyName", "FullName"):
        if hasattr(top, field):
            setattr(top, field, FAMILY)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(TARGET))
    print(TARGET, TARGET.stat().st_size, "bytes,", len(font.getBestCmap()), "characters")


if __name__ == "__main__":
    main()
