"""Where a line may break: after spaces, and around wide (CJK) characters by the kinsoku rules.

Chinese and Japanese typesetting (GB/T 15834, JIS X 4051) never start a line with a closing bracket or
a punctuation mark (。，、：；！？）」 …), an iteration mark or a small kana, and never end one with an
opening bracket or quotation mark (（「《 “ ‘). Such a character is bound to its neighbour: the pair
moves to the next line together, so the preceding character is pushed down with a closing mark and an
opening mark is pulled down to what it opens (no mark hangs into the margin). A run of Latin letters
or digits inside Chinese text ("CAR-T", "1,200,000") has no break inside it: it moves whole, and is
only cut where a single word is wider than the line.
"""

from __future__ import annotations

import unicodedata
from functools import cache

NO_START = frozenset(
    # closing brackets and quotation marks
    "）」』】〉》〕〗〙〛｝］｠｣)]}”’〞〟"
    # punctuation, ellipses, dashes that may not begin a line
    "、。，．：；？！‼⁇⁈⁉・･｡､,.:;?!…‥〜～‐゠"
    # prolonged sound and iteration marks, small kana
    "ー々〻ゝゞヽヾｰぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ"
    # units written after a number
    "％‰℃°′″%"
)
"""Characters no line may start with."""
NO_END = frozenset("（「『【〈《〔〖〘〚｛［｟｢([{“‘〝＄￥￡")
"""Characters no line may end with."""


@cache
def is_wide(char: str) -> bool:
    """A character set on a full (ideographic) square: a line may break before or after it."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def words(paragraph: str) -> list[str]:
    """The paragraph cut at every break opportunity; each piece keeps the spaces that follow it.

    A line may break after a space, or before or after a wide character, unless the break would leave
    a NO_END character at the end of a line or put a NO_START character at the start of the next."""
    pieces: list[str] = []
    start = 0
    last = ""  # the last character before the candidate break that is not a space
    for index in range(1, len(paragraph)):
        before, after = paragraph[index - 1], paragraph[index]
        if before != " ":
            last = before
        if after == " ":
            continue
        if not (before == " " or is_wide(before) or is_wide(after)):
            continue
        if last in NO_END or after in NO_START:
            continue
        pieces.append(paragraph[start:index])
        start = index
    pieces.append(paragraph[start:])
    return pieces
