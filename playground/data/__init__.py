"""Datasets, Qt-free: 2-D and 1-D generators, offline image sets, the downloadable classics,
their file readers and the user's own CSV files and image folders (see dataset.py)."""
from .catalog import default_recipe, list_datasets, make_dataset
from .dataset import Dataset, DatasetInfo
from .download import dataset_folder, download_file, ensure_files, missing_files
from .errors import DatasetError, DatasetUnavailable, DownloadCancelled, LoadCancelled
from .features import FEATURES, expand, grid
from .features import label as feature_label
from .paths import app_data_dir, datasets_dir

__all__ = ["Dataset", "DatasetInfo", "make_dataset", "list_datasets", "default_recipe",
           "DatasetError", "DatasetUnavailable", "DownloadCancelled", "LoadCancelled", "FEATURES", "expand", "grid",
           "feature_label", "ensure_files", "download_file", "dataset_folder", "missing_files",
           "app_data_dir", "datasets_dir"]
