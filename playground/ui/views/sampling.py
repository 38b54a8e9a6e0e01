"""Big data sets drawn as a sample: a scatter of a million points would take seconds to build and
paint, and shows nothing more than a few thousand of them do."""
from __future__ import annotations

import numpy as np

#: the most points of each set (training, test) drawn: a bigger data set (a CSV of a million rows)
#: is drawn as a fixed random sample of this many, which shows its shape as well and keeps the
#: window responsive (pyqtgraph builds and paints every point of a scatter one by one)
MAX_POINTS = 5000


def shown_points(n: int, limit: int = MAX_POINTS) -> np.ndarray | None:
    """The indices of the points drawn out of ``n``: None (all of them) up to ``limit``, else a
    sample of ``limit`` in data order, the same every time (the points do not jump between
    redraws)."""
    if n <= limit:
        return None
    return np.sort(np.random.default_rng(0).choice(n, limit, replace=False))


def take(a, index: np.ndarray | None) -> np.ndarray:
    a = np.asarray(a)
    return a if index is None else a[index]
