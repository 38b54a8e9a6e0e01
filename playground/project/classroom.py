"""Classroom settings of a project (issue 11, section 4): what a teacher's project opens with.

A project may carry a "classroom" object in project.json:

    {"presentation": true, "scale": 1.5, "hidden": ["reset", "layers"], "views": ["output", "curves"]}

- ``presentation``: open in presentation mode (full screen, fonts and plots scaled);
- ``scale``: the presentation scale, 1.25 to 2;
- ``hidden``: controls hidden while the project is open (names in ``CONTROLS``), as TensorFlow
  Playground's hidable controls;
- ``views``: the views shown (names in ``VIEWS``); left out, every view the data has.

``check_classroom`` validates it like the rest of the file: anything wrong is a ``ProjectError``
in words. No Qt.
"""
from __future__ import annotations

from typing import Any

from .project import ProjectError

#: name -> what the user calls it
CONTROLS: dict[str, str] = {
    "reset": "the Reset button", "step": "Step one batch", "step_epoch": "Step one epoch",
    "pace": "the pace box", "learning_rate": "the learning-rate box",
    "data": "the Data panel", "layers": "the Layers palette", "inspector": "the Inspector",
    "training": "the Training panel", "lesson": "the Lesson panel",
}
#: name -> title of the view's panel
VIEWS: dict[str, str] = {
    "output": "Output", "curves": "Curves", "weights": "Weights & gradients",
    "feature_maps": "Feature maps", "filters": "Filters", "pooling": "Pooling",
    "conv_mechanics": "Convolution", "predictions": "Predictions",
    "autoencoder": "Autoencoder vs PCA",
}
MIN_SCALE, MAX_SCALE, DEFAULT_SCALE = 1.25, 2.0, 1.5
KEYS = ("presentation", "scale", "hidden", "views")


def default_classroom() -> dict:
    return {"presentation": False, "scale": DEFAULT_SCALE, "hidden": [], "views": None}


def _names(value: Any, known: dict[str, str], key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectError(f"The classroom settings: '{key}' must be a list of names, e.g. "
                           f"[\"{next(iter(known))}\"]")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ProjectError(f"The classroom settings: '{key}' names {unknown[0][:40]!r}, which "
                           f"Playground does not know (it knows {', '.join(known)})")
    return list(dict.fromkeys(value))


def check_classroom(value: Any) -> dict | None:
    """The classroom object of project.json, complete and checked; None when there is none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProjectError("The classroom settings must be an object such as "
                           "{\"presentation\": true, \"scale\": 1.5}")
    extra = [k for k in value if k not in KEYS]
    if extra:
        raise ProjectError(f"The classroom settings have an unknown entry {str(extra[0])[:40]!r} "
                           f"(known: {', '.join(KEYS)})")
    out = default_classroom()
    presentation = value.get("presentation", False)
    if not isinstance(presentation, bool):
        raise ProjectError("The classroom settings: 'presentation' must be true or false")
    out["presentation"] = presentation
    scale = value.get("scale", DEFAULT_SCALE)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) \
            or not MIN_SCALE <= scale <= MAX_SCALE:
        raise ProjectError(f"The classroom settings: 'scale' must be a number from {MIN_SCALE} "
                           f"to {MAX_SCALE:g} (it is {str(scale)[:20]})")
    out["scale"] = float(scale)
    out["hidden"] = _names(value.get("hidden", []), CONTROLS, "hidden")
    views = value.get("views")
    out["views"] = None if views is None else _names(views, VIEWS, "views")
    return out
