"""Reading a recipe's fields with clear messages: one helper per kind of field.

A recipe is a JSON object; every builder starts from its defaults, checks that no unknown field is
present (a typo like "nosie" should not pass silently) and reads each field through these helpers.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from .errors import DatasetError


def merge(recipe: Any, defaults: dict) -> dict:
    """The recipe laid over the defaults; unknown fields are refused."""
    if not isinstance(recipe, dict):
        raise DatasetError(f"a dataset recipe must be an object like {{'name': 'spiral'}}, not {recipe!r}")
    unknown = sorted(set(recipe) - set(defaults))
    if unknown:
        raise DatasetError(f"dataset '{defaults.get('name')}' has no setting {', '.join(map(repr, unknown))}; "
                           f"its settings are {', '.join(sorted(k for k in defaults if k != 'name'))}")
    return {**defaults, **recipe}


def number(recipe: dict, key: str, low: float, high: float) -> float:
    value = recipe[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DatasetError(f"'{key}' must be a number, not {value!r}")
    if not low <= value <= high:
        raise DatasetError(f"'{key}' must be between {low:g} and {high:g}, not {value:g}")
    return float(value)


def integer(recipe: dict, key: str, low: int, high: int) -> int:
    value = recipe[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DatasetError(f"'{key}' must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise DatasetError(f"'{key}' must be between {low} and {high}, not {value}")
    return value


def choice(recipe: dict, key: str, options: Iterable[str]) -> str:
    value, options = recipe[key], tuple(options)
    if value not in options:
        raise DatasetError(f"'{key}' must be one of {', '.join(map(repr, options))}, not {value!r}")
    return value


def flag(recipe: dict, key: str) -> bool:
    value = recipe[key]
    if not isinstance(value, bool):
        raise DatasetError(f"'{key}' must be true or false, not {value!r}")
    return value


def text(recipe: dict, key: str, required: bool = True) -> str | None:
    value = recipe[key]
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(f"'{key}' must be a file or folder path, not {value!r}")
    return value
