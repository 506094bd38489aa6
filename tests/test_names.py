"""Name folding, the official 2021 Kazakh Latin alphabet letter by letter, and the variants of a name."""

from __future__ import annotations

import pytest

from kg.names import KAZAKH_LATIN_2021, fold, kazakh_latin_2021, person_forms, variants

TIE = "\u0361"
LEFT, RIGHT = "\ufe20", "\ufe21"

# The 2021 alphabet as facts.md gives it (the letters particular to Kazakh and those
# written differently from Russian), then the letters it shares with Russian as written.
OFFICIAL_2021 = [
    ("ә", "ä"), ("ө", "ö"), ("ү", "ü"), ("ұ", "ū"), ("ғ", "ğ"), ("ш", "ş"), ("і", "ı"), ("и", "i"), ("й", "i"),
    ("ы", "y"), ("ж", "j"), ("қ", "q"), ("ң", "ñ"), ("х", "h"), ("һ", "h"),
]
COMMON_2021 = [
    ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("е", "e"), ("з", "z"), ("к", "k"), ("л", "l"),
    ("м", "m"), ("н", "n"), ("о", "o"), ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("у", "u"), ("ф", "f"),
]
# Letters of Russian loanwords, which the 2021 alphabet has no letter for: this module's convention.
LOANWORD_LETTERS = [
    ("ё", "io"), ("ц", "ts"), ("ч", "ch"), ("щ", "şş"), ("ъ", ""), ("ь", ""), ("э", "e"), ("ю", "iu"), ("я", "ia"),
]
ALL_LETTERS = OFFICIAL_2021 + COMMON_2021 + LOANWORD_LETTERS


def test_the_table_covers_the_whole_kazakh_cyrillic_alphabet() -> None:
    assert sorted(KAZAKH_LATIN_2021) == sorted(c for c, _ in ALL_LETTERS)
    assert len(ALL_LETTERS) == 42


@pytest.mark.parametrize(("cyrillic", "latin"), ALL_LETTERS)
def test_2021_letter_lower(cyrillic: str, latin: str) -> None:
    assert kazakh_latin_2021(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [(c, lat) for c, lat in ALL_LETTERS if lat and c not in "иійы"] + [("И", "İ"), ("Й", "İ"), ("І", "I"), ("Ы", "Y")],
)
def test_2021_letter_capital(cyrillic: str, latin: str) -> None:
    """A capital starts its Latin form with a capital; i and ı pair with İ and I."""
    upper = cyrillic.upper()
    expected = latin if len(latin) == 1 and latin.isupper() else ({"i": "İ", "ı": "I"}.get(latin[0], latin[0].upper()) + latin[1:])
    assert kazakh_latin_2021(upper + "а") == expected + "a"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # The sample sentence of the 2021 alphabet (Wikipedia, "Kazakh alphabets").
        ("Бұрыңғы өткен заманда", "Būryñğy ötken zamanda"),
        ("бір данышпан кісі", "bır danyşpan kısı"),
        ("Бағдат шаһарының", "Bağdat şaharynyñ"),
        ("үйіне келіп қоныпты", "üiıne kelıp qonypty"),
        ("сөзге жеңе беріпті", "sözge jeñe berıptı"),
        ("Гүлжан Иржанова", "Güljan İrjanova"),
        ("Нұргүл Кабазова", "Nūrgül Kabazova"),
        ("Қазақстан", "Qazaqstan"),
        ("ҚР ЖОО", "QR JOO"),
    ],
)
def test_2021_words(cyrillic: str, latin: str) -> None:
    assert kazakh_latin_2021(cyrillic) == latin


def test_2021_leaves_other_characters() -> None:
    assert kazakh_latin_2021("WLIC 2025, «ИФЛА»!") == "WLIC 2025, «İFLA»!"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Gu̇lzhan Irzhanova", "gulzhan irzhanova"),
        (f"Vi{TIE}acheslav Rashchupkin", "viacheslav rashchupkin"),
        (f"Vi{LEFT}a{RIGHT}cheslav Rashchupkin", "viacheslav rashchupkin"),
        ("GULZHAN IRZHANOVA", "gulzhan irzhanova"),
        ("  Irzhanova,   Gu̇lzhan ", "irzhanova gulzhan"),
        ("Irzhanova G.", "irzhanova g"),
        ("Gülzhan Irzhanova", "gulzhan irzhanova"),
        ("Güljan İrjanova", "guljan irjanova"),
        ("Işkı", "iski"),
        ("Gulʹsara", "gulsara"),
        ("Gul'sara", "gulsara"),
        ("Gul’sara", "gulsara"),
        ("Gul´sara", "gulsara"),
        ("obʺi͡avlenie", "obiavlenie"),
        ("ИФЛА-2025", "ифла 2025"),
        ("«ҚазақТуризм» Ұлттық компаниясы", "қазақтуризм ұлттық компаниясы"),
        ("Ёлка", "елка"),
        ("Straße", "strasse"),
        ('a\n"b"} {\\c', "a b c"),
        ("", ""),
        ("—", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_keeps_kazakh_letters_apart_from_russian_ones() -> None:
    assert fold("Гүлжан") != fold("Гулжан")
    assert fold("ГҮЛЖАН") == fold("гүлжан")


def test_fold_is_idempotent() -> None:
    for text in ("Gu̇lzhan", "İrjanova", "Vi︠a︡cheslav", "ҚР ЖОО"):
        assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("label", "language", "given", "family", "expected"),
    [
        # facts.md, names of people: every column of the table.
        ("Гүлжан Иржанова", "kk", "Гүлжан", "Иржанова",
         {"гүлжан иржанова", "gulzhan irzhanova", "guljan irjanova", "гулжан иржанова", "irzhanova gulzhan",
          "irzhanova g", "g irzhanova", "иржанова гүлжан", "иржанова г"}),
        ("Гульжан Иржанова", "ru", "Гульжан", "Иржанова", {"гульжан иржанова", "gulzhan irzhanova", "irzhanova gulzhan"}),
        ("Нұргүл Кабазова", "kk", "Нұргүл", "Кабазова", {"nurgul kabazova", "kabazova nurgul", "kabazova n"}),
        ("Гульсара Бакбердиева", "kk", "Гульсара", "Бакбердиева", {"gulsara bakberdieva", "bakberdieva gulsara"}),
        ("Вячеслав Ращупкин", "ru", "Вячеслав", "Ращупкин",
         {"vyacheslav rashchupkin", "viacheslav rashchupkin", "rashchupkin v", "rashchupkin viacheslav"}),
    ],
)
def test_variants_of_people(label: str, language: str, given: str, family: str, expected: set[str]) -> None:
    assert expected <= variants(label, language, given=given, family=family)


def test_variants_of_a_name_without_parts() -> None:
    found = variants("Ассоциация библиотек высших учебных заведений Казахстана", "ru")
    assert "ассоциация библиотек высших учебных заведении казахстана" in found
    assert "assotsiatsiia bibliotek vysshikh uchebnykh zavedenii kazakhstana" in found  # ALA-LC and ICAO fold alike
    assert "assotsiatsiya bibliotek vysshikh uchebnykh zavedeny kazakhstana" in found  # Wikipedia's scheme


def test_variants_close_up_initialisms() -> None:
    assert {"k i t group", "kit group"} <= variants("K.I.T. Group", "en")


def test_variants_of_latin_text_are_only_folded() -> None:
    assert variants("Gulzhan Irzhanova", "en") == {"gulzhan irzhanova"}
    assert variants("Gu̇lzhan Irzhanova", "kk-Latn-alalc97") == {"gulzhan irzhanova"}


def test_untagged_cyrillic_is_read_by_its_letters() -> None:
    assert "guljan irjanova" in variants("Гүлжан Иржанова", None)
    assert "gulzhan irzhanova" in variants("Гульжан Иржанова", None)


def test_person_forms() -> None:
    assert person_forms("Gulzhan", "Irzhanova") == {
        "Gulzhan Irzhanova",
        "Irzhanova, Gulzhan",
        "Irzhanova G.",
        "Irzhanova, G.",
        "G. Irzhanova",
    }
    assert "Smith J. P." in person_forms("John Paul", "Smith")
    assert person_forms("", "Smith") == {"Smith"}
