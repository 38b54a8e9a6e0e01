"""The project layer (Qt-free): the document a student saves, its file format, the examples, the
app's folders and the training session built from a project.

    from playground.project import load_example, build_session
    session = build_session(load_example("spiral"))
    session.trainer.run(100)
"""
from . import comparison  # noqa: F401 - registers project.json's "comparison" section
from .examples import default_project, list_examples, load_example
from .paths import (Autosave, cache_dir, data_dir, discard_autosave, load_autosave,
                    orphaned_autosaves, remove_stale_temp_files)
from .project import Project, ProjectError
from .projectfile import load_project, load_project_or_spec, save_project

__all__ = ["Project", "ProjectError", "save_project", "load_project", "load_project_or_spec",
           "default_project", "list_examples", "load_example", "build_session", "Session",
           "Autosave", "orphaned_autosaves", "load_autosave", "discard_autosave",
           "remove_stale_temp_files", "data_dir", "cache_dir", "NetworkDocument"]


def __getattr__(name: str):
    # lazily: the session pulls in the dataset builders, the document belongs to the editor
    if name in ("build_session", "Session"):
        from . import session
        return getattr(session, name)
    if name == "NetworkDocument":
        from .document import NetworkDocument
        return NetworkDocument
    raise AttributeError(f"module 'playground.project' has no attribute {name!r}")
