"""Answering questions about news articles with checked citations: the Python API.

    from qa import Assistant
    bot = Assistant.open("storage")
    answer = bot.ask("What did Li Qiang ask of Brussels?")
"""

from index import SUPPORTED_SUFFIXES  # the article file types the index reads (for uploads)

from .assistant import Assistant
from .chat import Chat
from .config import Settings, load_settings
from .errors import (
                     ConfigError,
                     EmptyQuestionError,
                     FilterError,
                     ModelLoadError,
                     NewsdeskError,
                     StoreNotFoundError,
)
from .types import Answer, AnswerStream, Citation, Passage

__all__ = [
    "Answer", "AnswerStream", "Assistant", "Chat", "Citation", "ConfigError",
    "EmptyQuestionError", "FilterError", "ModelLoadError", "NewsdeskError", "Passage", "Settings",
    "StoreNotFoundError", "SUPPORTED_SUFFIXES", "load_settings",
]
