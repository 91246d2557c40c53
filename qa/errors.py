"""Errors a user can cause while asking questions; all share `NewsdeskError` with the index's."""

from __future__ import annotations

from index.errors import (
    EmbedderError,
    ModelMismatchError,
    NewsdeskError,
    StoreCorruptError,
    StoreLockedError,
    StoreNotFoundError,
    StoreVersionError,
    StoreWriteError,
)


class ConfigError(NewsdeskError):
    """The settings file or a QA_* variable holds an invalid value."""


class EmptyQuestionError(NewsdeskError):
    """The question was empty or only white space."""


class QuestionTooLongError(NewsdeskError):
    """The question is longer than the assistant accepts."""


class ModelLoadError(NewsdeskError):
    """The language model could not be loaded or reached."""


class FilterError(NewsdeskError):
    """A filter names a field, an operator or a value the store cannot filter by."""


__all__ = [
    "ConfigError", "EmbedderError", "EmptyQuestionError", "FilterError", "ModelLoadError",
    "ModelMismatchError", "NewsdeskError", "QuestionTooLongError", "StoreCorruptError",
    "StoreLockedError",
    "StoreNotFoundError", "StoreVersionError", "StoreWriteError",
]
