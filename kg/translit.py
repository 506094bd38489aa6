"""Romanization of Kazakh and Russian names as library catalogues write them.

ALA-LC is the romanization that MARC and BIBFRAME records use. Russian goes
through the ``iuliia`` package's ALA-LC schema; Kazakh has no package, so its
table (Library of Congress, non-Slavic Cyrillic, as applied to Kazakh) is here.
Tie bars are written with U+0361, the form the LC tables print; MARC records
often use the halves U+FE20/U+FE21 instead, and :func:`kg.names.fold` treats both alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import iuliia

TIE = "\u0361"

#: Kazakh Cyrillic (lower case) to ALA-LC romanization.
KAZAKH_ALA_LC: dict[str, str] = {
    "а": "a", "ә": "ă", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d",
    "е": "e", "ё": "ë", "ж": "zh", "з": "z", "и": "i", "й": "ĭ", "к": "k",
    "қ": "q", "л": "l", "м": "m", "н": "n", "ң": f"n{TIE}g", "о": "o",
    "ө": "ȯ", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "u\u0307", "ф": "f", "х": "kh", "һ": "ḣ", "ц": f"t{TIE}s", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "ʺ", "ы": "y", "і": "ī", "ь": "ʹ", "э": "ė",
    "ю": f"i{TIE}u", "я": f"i{TIE}a",
}

#: BCP 47 tags of the romanized forms.
ROMANIZED_TAG = {"kk": "kk-Latn-alalc97", "ru": "ru-Latn-alalc97"}


def by_table(text: str, table: dict[str, str], capital: Callable[[str], str] = str.upper) -> str:
    """Transliterate letter by letter with ``table`` (lower-case letters to their Latin forms).

    A capital whose neighbour is also a capital (an abbreviation such as ҚР) becomes
    all capitals; otherwise only the first Latin letter is capitalised (by ``capital``).
    Characters the table lacks pass through; the result is NFC.
    """
    out: list[str] = []
    for i, char in enumerate(text):
        lower = char.lower()
        latin = table.get(lower)
        if latin is None:
            out.append(char)
        elif char == lower or not latin:
            out.append(latin)
        else:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            shouting = (after.isalpha() and after.isupper()) or (
                before.isalpha() and before.isupper() and not after.isalpha()
            )
            out.append(capital(latin) if shouting else capital(latin[0]) + latin[1:])
    return unicodedata.normalize("NFC", "".join(out))


def kazakh_ala_lc(text: str) -> str:
    """Romanize Kazakh Cyrillic text by the ALA-LC table."""
    return by_table(text, KAZAKH_ALA_LC)


def russian_ala_lc(text: str) -> str:
    """Romanize Russian text by ALA-LC (``iuliia``), with ё as ë as the table has it."""
    text = text.replace("ё", "ë").replace("Ё", "Ë")
    return unicodedata.normalize("NFC", iuliia.ALA_LC.translate(text))


def romanize(text: str, language: str) -> str | None:
    """The ALA-LC form of ``text`` in ``language`` (``kk`` or ``ru``), or None."""
    primary = language.lower().split("-")[0]
    if primary == "kk":
        return kazakh_ala_lc(text)
    if primary == "ru":
        return russian_ala_lc(text)
    return None
