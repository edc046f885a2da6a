"""What the page needs to speak Korean, Russian and Chinese: each place's name in the reader's
script, and the translations of event texts that routes.yaml carries.

A place's ``alt_names`` mix scripts and spellings (Владивосток, 블라디보스토크, 海参崴,
Wladiwostok).  The first name written in Hangul is its Korean name, the first in Cyrillic its
Russian one, the first in Han its Chinese one: the gazetteer lists the usual name of each script
before older or rarer ones.  Latin spellings stay aliases (the search finds them).
"""

from __future__ import annotations

import re

from geo.model import Event, Place

SCRIPTS = (
    ("ko", re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("zh", re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
)


def script_language(name: str) -> str | None:
    """ko, ru or zh when *name* is written in Hangul, Cyrillic or Han; None otherwise."""
    for lang, pattern in SCRIPTS:
        if pattern.search(name):
            return lang
    return None


def place_names(places: tuple[Place, ...]) -> dict[str, dict[str, str]]:
    """Place id -> {language: name} for the places that have a name in Hangul, Cyrillic or
    Han; places with none are left out."""
    out: dict[str, dict[str, str]] = {}
    for place in places:
        names: dict[str, str] = {}
        for name in place.alt_names:
            lang = script_language(name)
            if lang and lang not in names:
                names[lang] = name
        if names:
            out[place.id] = dict(sorted(names.items()))
    return out


def event_translations(events: list[Event]) -> dict[str, dict[str, dict[str, str]]]:
    """Event id -> {language: {"title", "summary"}} for the events with translations."""
    return {
        event.id: {lang: dict(fields) for lang, fields in event.translations}
        for event in events
        if event.translations
    }
