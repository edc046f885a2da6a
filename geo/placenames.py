"""Place-name text: the key names are matched by, their words, and look-alike scripts."""

from __future__ import annotations

import re
import unicodedata

_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_WORD_BREAK = re.compile(r"[\s,/()\-\u2010-\u2015]+")


def normalize(name: str) -> str:
    """Key for matching: case-, accent-, space- and punctuation-insensitive.

    Spacing modifier letters (U+02B0-U+02FF) left after NFKD are apostrophes and primes in
    all but name: McCune-Reischauer writes Pʼyŏngyang with U+02BC, which must match Pyongyang.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(
        c for c in decomposed.casefold()
        if c.isalnum() and not unicodedata.combining(c) and not "\u02b0" <= c <= "\u02ff"
    )


def words(name: str) -> list[str]:
    """The normalized words of *name*: 'Kursk Oblast' -> ['kursk', 'oblast']."""
    return [key for key in map(normalize, _WORD_BREAK.split(name)) if key]


def mixed_script_word(name: str) -> tuple[str, tuple[str, ...]] | None:
    """The first word that mixes Latin, Cyrillic and Greek letters ('Rаjin' with a Cyrillic а).

    Such a word looks like a known name but matches nothing; saying why saves a user from
    staring at two identical-looking spellings.
    """
    for word in name.split():
        scripts = {unicodedata.name(c, "?").split()[0] for c in word if c.isalpha()}
        confusable = tuple(s.capitalize() for s in _CONFUSABLE_SCRIPTS if s in scripts)
        if len(confusable) > 1:
            return word, confusable
    return None
