"""Name forms across scripts: folding for comparison, and the variants a catalogue or a person may hold.

Catalogues write one name in many ways: Kazakh or Russian Cyrillic, the ALA-LC
romanization (with or without its diacritics and tie bars, the tie bar as U+0361
or as the MARC halves U+FE20/U+FE21), the official 2021 Kazakh Latin alphabet, the
simplified spelling English-language media and passports use, inverted headings
("Irzhanova, Gu̇lzhan") and initials ("Irzhanova G."). :func:`fold` reduces any of
them to one comparable key; :func:`variants` lists the folded keys of every form
this module can derive from a label (and, for a person, from the given and family
names), so an index built from the graph matches whichever form a user holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import iuliia  # type: ignore[import-untyped]

from .translit import by_table, kazakh_ala_lc, russian_ala_lc

#: Apostrophes and primes, removed outright: catalogues write the soft and hard signs
#: (ALA-LC ʹ ʺ) as any of these or leave them out, so "Gulʹsara", "Gul'sara" and
#: "Gulsara" all fold alike.
APOSTROPHES = "'ʹʺʼʻ’‘`´′″"
_APOSTROPHE_TABLE = str.maketrans("", "", APOSTROPHES)

#: Letters that casefolding and NFKD leave apart but that no catalogue distinguishes.
_LETTER_TABLE = str.maketrans({"ı": "i"})


def fold(text: str) -> str:
    """The comparison key of a name: case, diacritics, tie bars, apostrophes and punctuation ignored.

    Steps: apostrophes and primes are removed; NFKD; every combining mark is dropped
    (diacritics, U+0361 tie bars and the MARC halves U+FE20/U+FE21); casefold; the
    dotless ı becomes i; every character that is neither a letter nor a digit
    becomes a space; runs of spaces collapse. Cyrillic letters stay Cyrillic (ү and
    у remain different), so scripts are bridged by :func:`variants`, not here.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHE_TABLE))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = text.casefold().translate(_LETTER_TABLE)
    text = unicodedata.normalize("NFKD", text)  # casefolding can produce decomposable letters (İ -> i̇)
    chars = [c if c.isalnum() and not unicodedata.category(c).startswith("M") else " " for c in text]
    return " ".join("".join(chars).split())


#: The official Kazakh Latin alphabet of 2021 (facts.md), Cyrillic lower case to Latin.
#: The letters after щ are used only in words taken from Russian and have no letter of
#: their own in that alphabet; they are written with the nearest letters (ц ts, ч ch,
#: щ şş, ё io, ю iu, я ia, э e), and the hard and soft signs are dropped.
KAZAKH_LATIN_2021: dict[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ш": "ş", "ы": "y",
    "і": "ı",
    # Not in the 2021 alphabet (Russian loanwords):
    "ё": "io", "ц": "ts", "ч": "ch", "щ": "şş", "ъ": "", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}

#: Capitals that Python's str.upper gets wrong for this alphabet (i/İ and ı/I are pairs).
_CAPITALS = {"i": "İ", "ı": "I"}


def _capital(latin: str) -> str:
    return "".join(_CAPITALS.get(c, c.upper()) for c in latin)


def kazakh_latin_2021(text: str) -> str:
    """Kazakh Cyrillic text in the official 2021 Latin alphabet; other characters pass through.

    A capital starts its Latin form with a capital (И -> İ, І -> I); a capital next to
    another capital (an abbreviation such as ҚР) is written all in capitals.
    """
    return by_table(text, KAZAKH_LATIN_2021, _capital)


#: Kazakh letters to their nearest Russian letters: how Russian-language texts (and the
#: simplified romanizations built on them) often write Kazakh names ("Гулжан", "Нургул").
KAZAKH_TO_RUSSIAN_LETTERS = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
     "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И"}
)

#: The simplified romanizations of Russian (iuliia schemas) that English-language media
#: (Wikipedia's scheme: "Vyacheslav", "Gulzhan") and passports (ICAO Doc 9303:
#: "Viacheslav", "Bakberdieva") use.
SIMPLE_SCHEMAS = (iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303)

_KAZAKH_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
Transform = Callable[[str], str]


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def _language_of(text: str, language: str | None) -> str | None:
    """``kk`` or ``ru`` for Cyrillic text (by its tag, else by its letters), None otherwise."""
    if not has_cyrillic(text):
        return None
    primary = (language or "").lower().split("-")[0]
    if primary in ("kk", "ru"):
        return primary
    return "kk" if _KAZAKH_ONLY & set(text) else "ru"


def _simple(schema: iuliia.Schema, kazakh: bool) -> Transform:
    def transform(text: str) -> str:
        return str(schema.translate(text.translate(KAZAKH_TO_RUSSIAN_LETTERS) if kazakh else text))

    return transform


def transforms(text: str, language: str | None) -> list[Transform]:
    """The spellings derivable from ``text``: itself, then for Cyrillic the romanizations."""
    found: list[Transform] = [lambda t: t]
    script = _language_of(text, language)
    if script == "kk":
        found += [
            kazakh_ala_lc,
            kazakh_latin_2021,
            lambda t: t.translate(KAZAKH_TO_RUSSIAN_LETTERS),
            *(_simple(schema, True) for schema in SIMPLE_SCHEMAS),
        ]
    elif script == "ru":
        found += [russian_ala_lc, *(_simple(schema, False) for schema in SIMPLE_SCHEMAS)]
    return found


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in given.split() if part)


def person_forms(given: str, family: str) -> set[str]:
    """The ways a catalogue writes a person's name: direct, inverted, with initials either side."""
    given, family = given.strip(), family.strip()
    if not given or not family:
        return {given or family} - {""}
    initials = _initials(given)
    return {
        f"{given} {family}",
        f"{family}, {given}",
        f"{family} {initials}",
        f"{family}, {initials}",
        f"{initials} {family}",
    }


_SINGLE_LETTER_DOT = re.compile(r"\b(\w)\.\s*(?=\w\b|\w\.)")


def variants(label: str, language: str | None = None, *, given: str | None = None, family: str | None = None) -> set[str]:
    """Every folded key a catalogue or a person may hold for ``label`` (tagged ``language``).

    The label itself; for Kazakh Cyrillic its ALA-LC form, the 2021 Latin form, the
    Russian-letter spelling and the simplified romanizations; for Russian Cyrillic
    its ALA-LC form and the simplified romanizations; abbreviations with their
    periods closed up ("K.I.T." as "KIT"). With ``given`` and ``family`` (a person's
    names in the same language), also the direct and inverted forms and initials
    ("Irzhanova, Gulzhan", "Irzhanova G.", "G. Irzhanova") in each of those spellings.
    """
    out: set[str] = set()
    for transform in transforms(label, language):
        form = transform(label)
        out.add(fold(form))
        out.add(fold(_SINGLE_LETTER_DOT.sub(r"\1", form)))
    if given and family:
        for transform in transforms(f"{given} {family}", language):
            for form in person_forms(transform(given), transform(family)):
                out.add(fold(form))
    out.discard("")
    return out
