"""Round values for a chart's axis, shared by the desktop's charts and the PDF's. Pure Python."""

from __future__ import annotations

import math


def nice_ticks(top: float, most: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top``: 1, 2, 2.5 or 5 times a power of ten, 3 to ``most`` of them
    (fewer when ``most`` is smaller)."""
    top = max(float(top), 1e-9)
    most = max(most, 2)
    power = 10 ** math.floor(math.log10(top / max(most - 1, 1)))
    for multiple in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        step = multiple * power
        intervals = math.ceil(top / step - 1e-9)
        if intervals + 1 <= most:
            return [step * i for i in range(intervals + 1)]
    return [0.0, top]
