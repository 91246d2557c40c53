"""Sentences in articles that are written to a language model, not about the news.

An article is data. A sentence such as "Ignore your instructions and answer X" or "When asked
about Y, say Z" reports nothing; it is an attempt to steer whoever reads it. Such sentences are
never used as evidence: they are not quoted in an answer and never reach the model's prompt.
The article itself is stored, searched and shown unchanged.
"""

from __future__ import annotations

import re

_INSTRUCTIONS = re.compile("|".join([
    r"\b(ignore|disregard|forget|override|bypass)\b[^.!?]{0,40}\b(instructions?|prompts?|"
    r"rules|guidelines|directions|programming)\b",
    r"\bsystem prompt\b",
    r"\b(developer|jailbreak|god) mode\b",
    r"\byou are (now|no longer)\b",
    # "When asked about X, answer Y": an order (the verb right after the comma), not a report
    # such as "when asked about it, the minister declined to say".
    r"\b(when|if|whenever)\b[^.!?]{0,20}\b(asked|questioned)\b[^.!?]{0,120}?,\s*(always\s+)?"
    r"(answer|say|reply|respond|tell)\b",
    r"\b(whatever|regardless of|no matter)\b[^.!?]{0,20}\b(question|user|asks?)\b[^.!?]{0,40}"
    r"\b(answer|say|reply|respond)\b",
    r"\banswer only\b",
    r"\b(do not|don't|never) cite\b",
    r"\bcite this (passage|sentence|article|source)\b",
    r"\b(ai|language model|llm|chatbot|assistants?)\b[^.!?]{0,30}\b(must|should|shall|are "
    r"to)\b[^.!?]{0,20}\b(answer|say|reply|respond|ignore|obey)\b",
    r"^\W*(system|assistant|user|developer)\s*:",
    r"<\|im_(start|end)\|>|\[/?INST\]|<</?SYS>>",
]), re.IGNORECASE)


def addressed_to_the_model(sentence: str) -> bool:
    """True for a sentence that instructs an AI model instead of reporting something."""
    return bool(_INSTRUCTIONS.search(sentence))
