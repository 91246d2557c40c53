"""Errors a user can cause while building or opening a store.

Each message says what went wrong and what to do about it, so the CLI can print it without a
traceback. The `qa` package re-exports these and adds its own under the same base class.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class of every error a user can cause and fix."""


class ArticleError(NewsdeskError):
    """An article file or record could not be read."""


class StoreNotFoundError(NewsdeskError):
    """There is no store at the given path yet."""


class StoreCorruptError(NewsdeskError):
    """The store's files do not match what was written; it must be rebuilt."""


class StoreVersionError(NewsdeskError):
    """The store was written by a different version of Newsdesk."""


class ModelMismatchError(NewsdeskError):
    """The store was built with another embedding model than the one asked for."""


class StoreLockedError(NewsdeskError):
    """Another process is updating the store."""


class StoreWriteError(NewsdeskError):
    """An update could not be written (disk full, read-only folder); the old version is intact."""


class EmbedderError(NewsdeskError):
    """The embedding model could not be loaded."""


class VectorBackendError(NewsdeskError):
    """The vector backend (a Milvus server or Milvus Lite file) cannot be used as configured."""
