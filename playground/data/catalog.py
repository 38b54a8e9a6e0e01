"""The registry: dataset name -> builder, default recipe and gallery entry."""
from __future__ import annotations

from typing import Callable

from . import classics, imagesets, synthetic, user
from .dataset import Dataset, DatasetInfo
from .errors import DatasetError

_BUILDERS: dict[str, tuple[Callable[[dict], Dataset], Callable[[str], dict]]] = {}
for _name in synthetic.POINT_SETS:
    _BUILDERS[_name] = (synthetic.build_points, synthetic.point_defaults)
for _name in synthetic.FUNCTION_SETS:
    _BUILDERS[_name] = (synthetic.build_function, synthetic.function_defaults)
for _name in imagesets.IMAGE_SETS:
    _BUILDERS[_name] = (imagesets.build, imagesets.defaults)
for _name in classics.CLASS_NAMES:
    _BUILDERS[_name] = (classics.build, classics.defaults)
_BUILDERS["csv"] = (user.build_csv, lambda name: dict(user.CSV_DEFAULTS))
_BUILDERS["image_folder"] = (user.build_image_folder, lambda name: dict(user.FOLDER_DEFAULTS))
#: the builders that read the user's own files and take ``progress=``
READS_USER_FILES = ("csv", "image_folder")


def _entry(name):
    if name not in _BUILDERS:
        raise DatasetError(f"there is no dataset called {name!r}; choose one of {', '.join(_BUILDERS)}")
    return _BUILDERS[name]


def builder_for(recipe: dict) -> Callable[[dict], Dataset]:
    if not isinstance(recipe, dict) or "name" not in recipe:
        raise DatasetError(f"a dataset recipe must be an object with a 'name', not {recipe!r}")
    return _entry(recipe["name"])[0]


def defaults_for(name: str) -> dict:
    return _entry(name)[1](name)


def infos() -> list[DatasetInfo]:
    return synthetic.infos() + imagesets.infos() + classics.infos() + user.infos()


def make_dataset(recipe: dict, progress=None) -> Dataset:
    """Build the dataset a recipe describes; a bad recipe raises ``DatasetError``. For the user's
    own files (csv, image_folder) ``progress(fraction, 1.0)`` is called while they are read;
    returning False from it stops the load with ``LoadCancelled``."""
    build = builder_for(recipe)
    if progress is not None and recipe.get("name") in READS_USER_FILES:
        return build(recipe, progress=progress)
    return build(recipe)


def list_datasets() -> list[DatasetInfo]:
    """Every dataset the gallery offers, in gallery order."""
    return infos()


def default_recipe(name: str) -> dict:
    """The recipe a dataset starts from (a fresh copy)."""
    return defaults_for(name)
