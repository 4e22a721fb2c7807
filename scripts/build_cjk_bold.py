"""Build the bold Chinese face: resources/fonts/NotoSansCJKsc-Bold-GB2312.ttf.

    .venv/bin/python scripts/build_cjk_bold.py [--source NotoSansCJK-Bold.ttc] [--output FILE]

ReportLab embeds only TrueType (glyf) outlines, and Noto Sans CJK comes with CFF outlines. This script
takes Noto Sans CJK SC Bold from Debian's fonts-noto-cjk (OFL-1.1), keeps the characters the documents
can need (GB2312 levels 1 and 2 and its symbols, CJK punctuation, fullwidth forms, and every Chinese
character of the zh_CN catalog and the knowledge pack), and converts the cubic CFF outlines to
quadratic TrueType ones (fontTools cu2qu, as fontTools' otf2ttf snippet does). Layout tables and
hinting are left out: ReportLab neither shapes nor hints. A Chinese character the subset lacks is
drawn with the regular CJK face (reports.fonts), never dropped.

Without --source, the package is fetched with ``apt-get download fonts-noto-cjk`` into a temporary
folder and unpacked with ``dpkg-deb``. The output depends only on the source font, this script and the
texts it reads: two runs give the same bytes (the head table's dates are the source's). Built from
fonts-noto-cjk 1:20220127+repack1-1 (NotoSansCJK-Bold.ttc, SHA-256 faa5f365...6ceb): 1,989,972 bytes,
7,269 characters.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import cmap_format_4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from reports.fonts import CJK_BOLD_FILE, is_cjk  # noqa: E402  (the predicate that picks the CJK face)

POSTSCRIPT_NAME = "NotoSansCJKsc-Bold"
TTC_IN_PACKAGE = "usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
MAX_ERR = 1.0
"""How far (in font units of a 1000-unit em) a quadratic curve may stray from the cubic one."""
NOTE = "Subset of Noto Sans CJK SC Bold (GB2312 and the app's texts), TrueType outlines, for CarePlan Desk"


def gb2312() -> set[str]:
    """Every character of GB2312: symbols (rows 1-9) and the hanzi of levels 1 and 2 (rows 16-87)."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def used_characters() -> set[str]:
    """Every character of the zh_CN catalog and of the knowledge pack."""
    from babel.messages.pofile import read_po

    text = ""
    for catalog in sorted((ROOT / "translations" / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with catalog.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                text += "".join(s or "" for s in strings)
    for file in sorted((ROOT / "resources" / "knowledge").glob("*.json")):
        text += "".join(_strings(json.loads(file.read_text("utf-8"))))
    return set(text)


def wanted() -> list[int]:
    """The code points to keep: those the CJK face draws (reports.fonts.is_cjk), in the BMP."""
    blocks = {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    return sorted(ord(c) for c in gb2312() | blocks | used_characters() if is_cjk(c) and ord(c) <= 0xFFFF)


def fetch_source(folder: Path) -> Path:
    """NotoSansCJK-Bold.ttc from Debian's fonts-noto-cjk, downloaded and unpacked into ``folder``."""
    subprocess.run(["apt-get", "download", "fonts-noto-cjk"], cwd=folder, check=True)
    package = next(folder.glob("fonts-noto-cjk_*.deb"))
    print(f"source package: {package.name}")
    subprocess.run(["dpkg-deb", "-x", str(package), str(folder / "root")], check=True)
    return folder / "root" / TTC_IN_PACKAGE


def simplified_chinese_face(source: Path) -> TTFont:
    collection = TTCollection(str(source))
    for face in collection.fonts:
        if face["name"].getDebugName(6) == POSTSCRIPT_NAME:
            return face
    raise SystemExit(f"{source}: no face named {POSTSCRIPT_NAME}")


def subset_face(face: TTFont, codes: list[int]) -> TTFont:
    options = subset.Options()
    options.layout_features = []  # ReportLab does not shape: GSUB/GPOS would be dead weight
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x0409]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "meta"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(face)
    return face


def to_truetype(face: TTFont) -> None:
    """CFF to glyf in place (cubic curves to quadratic ones within MAX_ERR units)."""
    order = face.getGlyphOrder()
    glyph_set = face.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    face["loca"] = newTable("loca")
    glyf = face["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del face["CFF "]
    glyf.compile(face)
    metrics = face["hmtx"].metrics
    for name, glyph in glyphs.items():  # a TrueType left side bearing is the outline's xMin
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = face["maxp"] = newTable("maxp")  # version 1.0 (TrueType); point and contour counts are computed on save
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = maxp.maxInstructionDefs = 0
    maxp.maxStackElements = maxp.maxSizeOfInstructions = maxp.maxComponentElements = 0
    post = face["post"]
    post.formatType = 3.0  # no glyph names: ReportLab uses the cmap
    post.extraNames, post.mapping = [], {}
    face["head"].glyphDataFormat = 0
    face.sfntVersion = "\x00\x01\x00\x00"


def plain_cmap(face: TTFont, codes: list[int]) -> None:
    """One format 4 table (Windows Unicode BMP): ReportLab refuses format 12 tables."""
    mapping = face.getBestCmap()
    table = cmap_format_4(4)
    table.platformID, table.platEncID, table.language = 3, 1, 0
    table.cmap = {code: mapping[code] for code in codes if code in mapping}
    face["cmap"].tables = [table]


def rename(face: TTFont) -> None:
    names = face["name"]
    version = names.getDebugName(5) or ""
    names.setName(f"{version}; {NOTE}", 5, 3, 1, 0x409)
    names.setName(f"{POSTSCRIPT_NAME};subset-GB2312-glyf", 3, 3, 1, 0x409)
    names.names = [n for n in names.names if n.platformID == 3]


def build(source: Path, output: Path) -> None:
    codes = wanted()
    face = simplified_chinese_face(source)
    subset_face(face, codes)
    to_truetype(face)
    plain_cmap(face, codes)
    rename(face)
    face.recalcTimestamp = False  # the source's dates: the same bytes on every run
    output.parent.mkdir(parents=True, exist_ok=True)
    face.save(str(output))
    kept = len(face["cmap"].tables[0].cmap)
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    print(f"{output}: {output.stat().st_size:,} bytes, {kept} characters, sha256 {digest}")
    print(f"source: {source} (sha256 {hashlib.sha256(source.read_bytes()).hexdigest()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="NotoSansCJK-Bold.ttc (default: from apt-get download)")
    parser.add_argument("--output", type=Path, default=ROOT / "resources" / "fonts" / CJK_BOLD_FILE)
    args = parser.parse_args()
    if args.source:
        build(args.source, args.output)
        return 0
    with tempfile.TemporaryDirectory(prefix="careplan-cjk-") as folder:
        build(fetch_source(Path(folder)), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
