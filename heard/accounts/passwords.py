"""A password must not be built on its username.

Django's UserAttributeSimilarityValidator compares whole strings, so ``jordan.smith`` may still
choose ``Jordan-Smith-2026!!``, which it finds only 60% similar. This refuses any password that
contains the username or a part of it of four or more letters or digits (ignoring case and
punctuation), or is contained in it.
"""

import re

from django.core.exceptions import ValidationError

MIN_PART = 4


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class NotBasedOnUsernameValidator:
    def validate(self, password, user=None):
        username = user.get_username() if user is not None else ""
        if not username:
            return
        typed = _letters(password)
        whole = _letters(username)
        parts = {_letters(part) for part in re.split(r"[^A-Za-z0-9]+", username)}
        found = {whole} | {part for part in parts if len(part) >= MIN_PART}
        if any(part and part in typed for part in found) or (typed and typed in whole):
            raise ValidationError(
                "Choose a password that does not contain your username or part of it.",
                code="password_too_similar",
            )

    def get_help_text(self):
        return "Your password cannot contain your username or part of it."
