"""ALA-LC romanization: the Kazakh table letter by letter, and the name forms catalogues hold."""

from __future__ import annotations

import unicodedata

import pytest

from kg.translit import KAZAKH_ALA_LC, kazakh_ala_lc, romanize, russian_ala_lc

T = "\u0361"

# The Library of Congress table for Kazakh, as facts.md lists it, letter by letter.
KAZAKH_LETTERS = [
    ("а", "a"), ("ә", "ă"), ("б", "b"), ("в", "v"), ("г", "g"), ("ғ", "gh"), ("д", "d"), ("е", "e"),
    ("ё", "ë"), ("ж", "zh"), ("з", "z"), ("и", "i"), ("й", "ĭ"), ("к", "k"), ("қ", "q"), ("л", "l"),
    ("м", "m"), ("н", "n"), ("ң", f"n{T}g"), ("о", "o"), ("ө", "ȯ"), ("п", "p"), ("р", "r"), ("с", "s"),
    ("т", "t"), ("у", "u"), ("ұ", "ū"), ("ү", "u\u0307"), ("ф", "f"), ("х", "kh"), ("һ", "ḣ"),
    ("ц", f"t{T}s"), ("ч", "ch"), ("ш", "sh"), ("щ", "shch"), ("ъ", "ʺ"), ("ы", "y"), ("і", "ī"),
    ("ь", "ʹ"), ("э", "ė"), ("ю", f"i{T}u"), ("я", f"i{T}a"),
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_the_table_covers_the_whole_kazakh_alphabet() -> None:
    assert sorted(KAZAKH_ALA_LC) == sorted(c for c, _ in KAZAKH_LETTERS)
    assert len(KAZAKH_LETTERS) == 42


@pytest.mark.parametrize(("cyrillic", "latin"), KAZAKH_LETTERS)
def test_kazakh_letter_lower(cyrillic: str, latin: str) -> None:
    assert kazakh_ala_lc(cyrillic) == nfc(latin)


@pytest.mark.parametrize(("cyrillic", "latin"), [(c, lat) for c, lat in KAZAKH_LETTERS if c not in "ъь"])
def test_kazakh_letter_capital_starts_a_word(cyrillic: str, latin: str) -> None:
    word = kazakh_ala_lc(cyrillic.upper() + "а")
    assert word == nfc(latin[0].upper() + latin[1:] + "a")


def test_modifier_letters_are_the_prime_characters() -> None:
    assert kazakh_ala_lc("ь") == "\u02b9"
    assert kazakh_ala_lc("ъ") == "\u02ba"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Гүлжан Иржанова", "Gu̇lzhan Irzhanova"),
        ("Нұргүл Кабазова", "Nūrgu̇l Kabazova"),
        ("Гульсара Бакбердиева", "Gulʹsara Bakberdieva"),
        ("Вячеслав Ращупкин", f"Vi{T}acheslav Rashchupkin"),
        ("ҚР", "QR"),
        ("Щучинск", "Shchuchinsk"),
    ],
)
def test_names_as_catalogues_write_them(cyrillic: str, latin: str) -> None:
    assert kazakh_ala_lc(cyrillic) == nfc(latin)


def test_russian_uses_the_ala_lc_table() -> None:
    assert russian_ala_lc("Вячеслав Ращупкин") == f"Vi{T}acheslav Rashchupkin"
    assert russian_ala_lc("Гульсара") == "Gulʹsara"
    assert russian_ala_lc("Цой") == f"T{T}soĭ"
    assert russian_ala_lc("Эдуард") == "Ėduard"


def test_russian_yo_is_e_with_diaeresis() -> None:
    # iuliia leaves ё untouched; the ALA-LC table writes ë.
    assert russian_ala_lc("Ёлка ёж") == "Ëlka ëzh"


def test_romanize_picks_the_table_by_language_tag() -> None:
    assert romanize("Гүлжан", "kk") == nfc("Gu̇lzhan")
    assert romanize("Гульжан", "ru") == "Gulʹzhan"
    assert romanize("Gulzhan", "en") is None
