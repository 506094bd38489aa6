"""The language of the pages: English, Kazakh or Russian, chosen per request.

The reader's choice is kept in the URL (``?lang=kk``) so that a link carries it; without
one, the ``Accept-Language`` header decides, then English. The choice sets the words of
the interface and the order in which the names the graph holds are preferred (a Kazakh
reader sees Kazakh names first, then Russian, then English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

from .negotiation import LANGUAGES as NAME_LANGUAGES
from .negotiation import choose_language

#: The interface languages, in the order the switch shows them.
LANGUAGES = ("kk", "ru", "en")
DEFAULT = "en"

#: The order of the texts in each entry of MESSAGES (the first is the default).
LANGUAGES_IN_TABLE = NAME_LANGUAGES

#: Each language's name in itself, for the switch.
AUTONYMS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

#: Whose names a reader of each language sees first.
NAME_ORDER = {"en": ("en", "kk", "ru"), "kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en")}


# Every word of the interface, in English, Kazakh and Russian.
MESSAGES: dict[str, tuple[str, str, str]] = {
    # key: (en, kk, ru)
    "home": ("Home", "Басты бет", "Главная"),
    "search": ("Search", "Іздеу", "Поиск"),
    "query": ("SPARQL query", "SPARQL сұрауы", "SPARQL-запрос"),
    "queries": ("Example questions", "Үлгі сұрақтар", "Примеры вопросов"),
    "ontology": ("Ontology", "Онтология", "Онтология"),
    "downloads": ("Downloads", "Жүктеп алу", "Скачать"),
    "language": ("Language", "Тіл", "Язык"),
    "site_navigation": ("Site", "Сайт", "Сайт"),
    "search_label": ("Search people, organisations, congresses", "Адамдарды, ұйымдарды, конгрестерді іздеу", "Поиск людей, организаций, конгрессов"),
    "search_hint": ("Any name form: Kazakh, Russian, English, romanized", "Кез келген атау түрі: қазақша, орысша, ағылшынша, латынша", "Любая форма имени: казахская, русская, английская, латиница"),
    "suggestions": ("Suggestions", "Ұсыныстар", "Подсказки"),
    "names": ("Names", "Атаулар", "Имена и названия"),
    "name": ("Name", "Атауы", "Название"),
    "name_language": ("Language and script", "Тілі мен жазуы", "Язык и письмо"),
    "kind": ("Kind", "Түрі", "Тип"),
    "preferred": ("preferred name", "негізгі атауы", "основное название"),
    "alternative": ("other name", "басқа атауы", "другое название"),
    "lang_en": ("English", "ағылшынша", "английский"),
    "lang_kk": ("Kazakh", "қазақша", "казахский"),
    "lang_ru": ("Russian", "орысша", "русский"),
    "romanized": ("{}, ALA-LC romanization", "{}, ALA-LC латын транслитерациясы", "{}, латинизация ALA-LC"),
    "no_language": ("no language given", "тілі көрсетілмеген", "язык не указан"),
    "statements": ("What the sources say", "Дереккөздер не дейді", "Что говорят источники"),
    "property": ("Property", "Қасиет", "Свойство"),
    "value": ("Value and source", "Мәні және дереккөзі", "Значение и источник"),
    "linked_from": ("Linked from", "Сілтеме жасайтындар", "Ссылаются сюда"),
    "linked_from_note": ("What points to this entity, by the property it uses.", "Осы нысанға сілтейтіндер, қолданылған қасиет бойынша.", "Что ссылается на эту сущность, по используемому свойству."),
    "source": ("source", "дереккөз", "источник"),
    "sources": ("Sources", "Дереккөздер", "Источники"),
    "drawn_from": ("drawn from", "алынған жері", "взято из"),
    "published": ("published", "жарияланған", "опубликовано"),
    "also_as": ("Machine-readable", "Машинаға арналған нұсқалар", "Машиночитаемые версии"),
    "identifiers": ("Identifiers", "Сәйкестендіргіштер", "Идентификаторы"),
    "this_iri": ("This entity's IRI", "Осы нысанның IRI-і", "IRI этой сущности"),
    "same_as": ("The same elsewhere", "Басқа дереккөздердегі сәйкесі", "То же в других источниках"),
    "figures": ("Reported figures", "Хабарланған көрсеткіштер", "Сообщённые показатели"),
    "figures_note": (
        "Each source's figure as it was reported, side by side: an approximate or lower-bound figure is not an exact count.",
        "Әр дереккөздің көрсеткіші хабарланған күйінде, қатар берілген: шамамен алынған немесе төменгі шектегі сан нақты сан емес.",
        "Показатели каждого источника в том виде, в каком они были сообщены, рядом: приблизительное число или нижняя граница — не точный подсчёт.",
    ),
    "measure": ("Measure", "Өлшем", "Показатель"),
    "figure": ("Figure", "Көрсеткіш", "Значение"),
    "counted": ("Counted", "Кімдер саналды", "Кого считали"),
    "everyone": ("everyone", "барлығы", "все"),
    "source_link": ("original", "түпнұсқасы", "оригинал"),
    "skip": ("Skip to content", "Мазмұнға өту", "К содержанию"),
    "stage": ("Reported", "Хабарланған кезі", "Когда сообщено"),
    "exactly": ("{}", "{}", "{}"),
    "approximately": ("about {}", "шамамен {}", "около {}"),
    "nearly": ("nearly {}", "{} санына жуық", "почти {}"),
    "moreThan": ("more than {}", "{} санынан астам", "более {}"),
    "approximately_note": ("approximate", "шамамен", "приблизительно"),
    "nearly_note": ("approximate, not above", "шамамен, одан аспайды", "приблизительно, не больше"),
    "moreThan_note": ("a lower bound", "төменгі шек", "нижняя граница"),
    "exactly_note": ("as stated", "айтылғандай", "как сообщено"),
    "search_results": ("Search results", "Іздеу нәтижелері", "Результаты поиска"),
    "results_for": ("{} found for “{}”", "«{1}» бойынша табылғаны: {0}", "По запросу «{1}» найдено: {0}"),
    "nothing_found": ("Nothing found for “{}”. Try another form of the name.", "«{}» бойынша ештеңе табылмады. Атаудың басқа түрін көріңіз.", "По запросу «{}» ничего не найдено. Попробуйте другую форму имени."),
    "search_intro": ("Type a name in any language or script.", "Атауды кез келген тілде не жазуда теріңіз.", "Введите имя на любом языке или письменности."),
    "matched": ("matched", "сәйкес келгені", "совпало"),
    "run": ("Run", "Орындау", "Выполнить"),
    "editor_label": ("SPARQL query", "SPARQL сұрауы", "SPARQL-запрос"),
    "editor_hint": (
        "The default graph is the union of the source graphs; GRAPH ?g reaches each source.",
        "Әдепкі граф — барлық дереккөз графтарының бірігуі; GRAPH ?g әр дереккөзге жеткізеді.",
        "Граф по умолчанию — объединение графов источников; GRAPH ?g обращается к каждому источнику.",
    ),
    "examples": ("Examples", "Үлгілер", "Примеры"),
    "open_in_editor": ("open in the editor", "редакторда ашу", "открыть в редакторе"),
    "results": ("Results", "Нәтижелер", "Результаты"),
    "rows": ("{} rows", "{} жол", "строк: {}"),
    "answer_yes": ("Answer: yes", "Жауабы: иә", "Ответ: да"),
    "answer_no": ("Answer: no", "Жауабы: жоқ", "Ответ: нет"),
    "download_results": ("Download the results", "Нәтижелерді жүктеп алу", "Скачать результаты"),
    "query_error": ("The query could not be run", "Сұрау орындалмады", "Запрос не выполнен"),
    "error_at": ("at line {}, column {}", "{}-жол, {}-баған", "строка {}, столбец {}"),
    "truncated": ("The first {} rows are shown; download the results for all of them.", "Алғашқы {} жол көрсетілді; барлығы үшін нәтижелерді жүктеп алыңыз.", "Показаны первые {} строк; скачайте результаты целиком."),
    "dataset": ("The dataset", "Деректер жиынтығы", "Набор данных"),
    "numbers": ("In numbers", "Сандармен", "В цифрах"),
    "entities_by_kind": ("Entities by kind", "Түрі бойынша нысандар", "Сущности по видам"),
    "count": ("Count", "Саны", "Количество"),
    "triples": ("Triples", "Үштіктер", "Триплеты"),
    "source_count": ("Sources", "Дереккөздер", "Источники"),
    "release": ("Release", "Шығарылым", "Выпуск"),
    "release_date": ("Release date", "Шығарылған күні", "Дата выпуска"),
    "ask_it": ("Ask it", "Сұрақ қойыңыз", "Задайте вопрос"),
    "ask_it_text": (
        "Each example answers a question people ask of the graph; open it to see the answer, or edit it in the query page.",
        "Әр үлгі графқа қойылатын сұраққа жауап береді: жауабын көру үшін ашыңыз немесе сұрау бетінде өңдеңіз.",
        "Каждый пример отвечает на вопрос, который задают графу: откройте, чтобы увидеть ответ, или измените его на странице запросов.",
    ),
    "endpoint": ("SPARQL endpoint", "SPARQL нүктесі", "SPARQL-точка доступа"),
    "file": ("File", "Файл", "Файл"),
    "format": ("Format", "Пішімі", "Формат"),
    "size": ("Size", "Көлемі", "Размер"),
    "checksum": ("SHA-256", "SHA-256", "SHA-256"),
    "bytes": ("{} bytes", "{} байт", "{} байт"),
    "check_with": ("Check the files with", "Файлдарды мынамен тексеріңіз:", "Проверьте файлы с помощью"),
    "catalogue": ("Link to it from a catalogue", "Каталогтан сілтеме жасау", "Ссылка из каталога"),
    "catalogue_text": (
        "Every entity has a stable IRI that answers with a page for people and RDF for machines. In a MARC 21 record, put it in subfield $1 (the real-world object) of the heading: 100 for a person, 110 for an organisation, 111 for a meeting. In BIBFRAME or any RDF, point to it with owl:sameAs or schema:sameAs.",
        "Әр нысанның тұрақты IRI-і бар: адамға бет, машинаға RDF қайтарады. MARC 21 жазбасында оны тақырып өрісінің $1 ішкі өрісіне (нақты әлемдегі нысан) қойыңыз: адам үшін 100, ұйым үшін 110, жиын үшін 111. BIBFRAME немесе кез келген RDF-те оған owl:sameAs не schema:sameAs арқылы сілтеңіз.",
        "У каждой сущности есть постоянный IRI: людям он отдаёт страницу, машинам — RDF. В записи MARC 21 укажите его в подполе $1 (объект реального мира) заголовка: 100 для лица, 110 для организации, 111 для мероприятия. В BIBFRAME или любом RDF ссылайтесь на него через owl:sameAs или schema:sameAs.",
    ),
    "for_example": ("For example", "Мысалы", "Например"),
    "reconcile": ("Reconciliation service (OpenRefine)", "Сәйкестендіру қызметі (OpenRefine)", "Сервис сверки (OpenRefine)"),
    "vocabulary": ("Its vocabulary", "Сөздігі", "Словарь"),
    "shapes": ("SHACL shapes", "SHACL пішіндері", "Формы SHACL"),
    "context": ("JSON-LD context", "JSON-LD контексі", "Контекст JSON-LD"),
    "void": ("Dataset description (VoID, DCAT)", "Деректер жиынтығының сипаттамасы (VoID, DCAT)", "Описание набора данных (VoID, DCAT)"),
    "health": ("Service health", "Қызмет күйі", "Состояние сервиса"),
    "all_downloads": ("All downloads", "Барлық жүктемелер", "Все файлы"),
    "every_entity_answers": (
        "Each entity IRI answers with its description as HTML, Turtle, JSON-LD, RDF/XML, N-Triples, TriG or N-Quads.",
        "Әр нысанның IRI-і өз сипаттамасын HTML, Turtle, JSON-LD, RDF/XML, N-Triples, TriG не N-Quads түрінде береді.",
        "Каждый IRI сущности отдаёт её описание в HTML, Turtle, JSON-LD, RDF/XML, N-Triples, TriG или N-Quads.",
    ),
    "start_from": ("Start from", "Бастау нүктесі:", "Начните с"),
    "parameters": ("Parameters", "Параметрлер", "Параметры"),
    "the_query": ("The query", "Сұрау", "Запрос"),
    "union_note": (
        "Turtle, N-Triples and RDF/XML hold the union of the source graphs; N-Quads, TriG and JSON-LD keep each source's named graph.",
        "Turtle, N-Triples және RDF/XML дереккөз графтарының бірігуін қамтиды; N-Quads, TriG және JSON-LD әр дереккөздің атаулы графын сақтайды.",
        "Turtle, N-Triples и RDF/XML содержат объединение графов источников; N-Quads, TriG и JSON-LD сохраняют именованный граф каждого источника.",
    ),
    # The ontology's documentation: its headings, by their English text.
    "Contents": ("Contents", "Мазмұны", "Содержание"),
    "This ontology": ("This ontology", "Осы онтология", "Эта онтология"),
    "Version": ("Version", "Нұсқасы", "Версия"),
    "Created": ("Created", "Құрылған", "Создана"),
    "Modified": ("Modified", "Өзгертілген", "Изменена"),
    "Licence": ("Licence", "Лицензия", "Лицензия"),
    "Creator": ("Creator", "Авторы", "Автор"),
    "Publisher": ("Publisher", "Жариялаушы", "Издатель"),
    "Namespace": ("Namespace", "Атаулар кеңістігі", "Пространство имён"),
    "See also": ("See also", "Сондай-ақ қараңыз", "См. также"),
    "Labels": ("Labels", "Атаулары", "Метки"),
    "Classes": ("Classes", "Кластар", "Классы"),
    "Object properties": ("Object properties", "Нысан қасиеттері", "Объектные свойства"),
    "Datatype properties": ("Datatype properties", "Дерек түрі қасиеттері", "Свойства-значения"),
    "Annotation properties": ("Annotation properties", "Аннотация қасиеттері", "Свойства-аннотации"),
    "Concept schemes": ("Concept schemes", "Ұғымдар схемалары", "Схемы понятий"),
    "Concepts and individuals": ("Concepts and individuals", "Ұғымдар мен даралар", "Понятия и индивиды"),
    "Other terms": ("Other terms", "Басқа терминдер", "Другие термины"),
    "Subclass of": ("Subclass of", "Мына кластың ішкі класы", "Подкласс"),
    "Subproperty of": ("Subproperty of", "Мына қасиеттің ішкі қасиеті", "Подсвойство"),
    "Inverse of": ("Inverse of", "Кері қасиеті", "Обратное к"),
    "Domain": ("Domain", "Анықталу облысы", "Область определения"),
    "Range": ("Range", "Мәндер облысы", "Область значений"),
    "In scheme": ("In scheme", "Схемасы", "В схеме"),
    "Top concept of": ("Top concept of", "Жоғарғы ұғымы", "Верхнее понятие схемы"),
    "Broader": ("Broader", "Кеңірек ұғым", "Более широкое"),
    "Exact match": ("Exact match", "Дәл сәйкесі", "Точное соответствие"),
    "Equivalent class": ("Equivalent class", "Балама класы", "Эквивалентный класс"),
    "Equivalent property": ("Equivalent property", "Балама қасиеті", "Эквивалентное свойство"),
    "Subclasses": ("Subclasses", "Ішкі кластары", "Подклассы"),
    "Subproperties": ("Subproperties", "Ішкі қасиеттері", "Подсвойства"),
    "Properties of this class": ("Properties of this class", "Осы кластың қасиеттері", "Свойства этого класса"),
    "Properties pointing to this class": ("Properties pointing to this class", "Осы класқа сілтейтін қасиеттер", "Свойства, указывающие на этот класс"),
    "Concepts": ("Concepts", "Ұғымдар", "Понятия"),
    "Definition": ("Definition", "Анықтамасы", "Определение"),
    "Comment": ("Comment", "Түсініктеме", "Комментарий"),
    "Scope note": ("Scope note", "Қолданылу аясы", "Примечание об области"),
    "Example": ("Example", "Мысал", "Пример"),
}


@dataclass(frozen=True)
class Language:
    """The language a page is written in, and whether the reader chose it in the URL."""

    code: str = DEFAULT
    explicit: bool = False

    @property
    def name_order(self) -> tuple[str, ...]:
        return NAME_ORDER[self.code]

    def t(self, key: str, *values: object) -> str:
        """The interface text ``key`` in this language, with ``values`` put in its ``{}``."""
        text = MESSAGES[key][LANGUAGES_IN_TABLE.index(self.code)]
        return text.format(*values) if values else text

    def number(self, value: str) -> str:
        """An integer written with the thousands separator of the language (others as they are)."""
        if not re.fullmatch(r"[+-]?\d+", value):
            return value
        grouped = f"{int(value):,}"
        return grouped if self.code == "en" else grouped.replace(",", "\u00a0")


def language_of(request: Request) -> Language:
    """The reader's language: ``?lang=`` if it names one of ours, else Accept-Language, else English."""
    asked = request.query_params.get("lang", "").strip().lower()
    code = choose_language(asked, request.headers.get("accept-language"), LANGUAGES_IN_TABLE)
    return Language(code, explicit=asked in LANGUAGES)


def with_language(request: Request, code: str) -> str:
    """This page's URL (path and query) with the language set to ``code``."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", code))
    path, root = request.scope["path"], request.scope.get("root_path", "")
    if root and not path.startswith(root):
        path = root + path  # the base-path middleware moved the prefix out of the path
    return f"{path}?{urlencode(params)}"
