"""The errors of the data layer, all in words a student understands."""
from __future__ import annotations


class DatasetError(ValueError):
    """A dataset cannot be built: a bad recipe, an unreadable file, a CSV with broken rows."""


class DatasetUnavailable(DatasetError):
    """A dataset's files are not on this machine and could not be fetched (offline, every mirror
    failed, or the checksum did not match). The message names the file and the remedy."""


class DownloadCancelled(DatasetError):
    """The user stopped a download; the partial file has been removed."""


class LoadCancelled(DatasetError):
    """The user stopped reading their own data (a CSV file or an image folder)."""
