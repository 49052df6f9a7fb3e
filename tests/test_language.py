"""crawler.lang.detect: sentences written for these tests (not from the NTREX benchmark)."""

from __future__ import annotations

import pickle
import unicodedata

import numpy as np
import pytest

from crawler.items import LanguageHints
from crawler.lang import batched, models
from crawler.lang import detect as language
from crawler.lang.detect import LanguageResult, detect, language_code
from crawler.lang.models import langdetect_probabilities
from crawler.lang.scripts import profile, script_of
from crawler.lang.words import INDONESIAN_WORDS, MALAY_WORDS, malay_indonesian_balance
from tests.crawling import python_output

# One news-style sentence per language, all saying roughly the same thing.
SENTENCES = {
    "en": "The government announced a new plan on Tuesday to expand broadband access to "
    "rural schools across the country.",
    "fr": "Le gouvernement a annoncé mardi un nouveau plan pour étendre l'accès à internet "
    "dans les écoles rurales du pays.",
    "es": "El gobierno anunció el martes un nuevo plan para ampliar el acceso a internet en "
    "las escuelas rurales del país.",
    "pt": "O governo anunciou na terça-feira um novo plano para ampliar o acesso à internet "
    "nas escolas rurais do país.",
    "de": "Die Regierung hat am Dienstag einen neuen Plan angekündigt, um den Internetzugang "
    "an ländlichen Schulen auszubauen.",
    "it": "Il governo ha annunciato martedì un nuovo piano per estendere l'accesso a internet "
    "nelle scuole rurali del paese.",
    "nl": "De regering heeft dinsdag een nieuw plan aangekondigd om de internettoegang op "
    "scholen op het platteland uit te breiden.",
    "af": "Die regering het Dinsdag 'n nuwe plan aangekondig om internettoegang by skole op "
    "die platteland uit te brei.",
    "pl": "Rząd ogłosił we wtorek nowy plan rozszerzenia dostępu do internetu w wiejskich "
    "szkołach.",
    "sw": "Serikali imetangaza mpango mpya siku ya Jumanne wa kupanua huduma ya intaneti "
    "katika shule za vijijini nchini.",
    "id": "Pemerintah mengumumkan rencana baru pada hari Selasa untuk memperluas akses "
    "internet ke sekolah-sekolah di pedesaan.",
    "ms": "Kerajaan mengumumkan rancangan baharu pada hari Selasa untuk meluaskan akses "
    "internet ke sekolah-sekolah di kawasan luar bandar.",
    "vi": "Chính phủ đã công bố kế hoạch mới vào thứ Ba nhằm mở rộng truy cập internet cho "
    "các trường học ở nông thôn.",
    "tr": "Hükümet salı günü kırsal bölgelerdeki okullarda internet erişimini genişletmek "
    "için yeni bir plan açıkladı.",
    "tl": "Inanunsyo ng pamahalaan noong Martes ang isang bagong plano upang palawakin ang "
    "access sa internet sa mga paaralan sa probinsya.",
    "ha": "Gwamnati ta sanar da wani sabon shiri ranar Talata domin fadada hanyoyin samun "
    "intanet a makarantun karkara.",
    "yo": "Ìjọba kéde ètò tuntun ní ọjọ́ Ìṣẹ́gun láti mú kí àwọn ilé ìwé ìgbèríko lè máa lo "
    "ẹ̀rọ ayélujára.",
    "ig": "Gọọmentị kwupụtara atụmatụ ọhụrụ na Tuzdee iji gbasaa ịntanetị n'ụlọ akwụkwọ ndị "
    "dị n'ime obodo.",
    "so": "Dowladda ayaa maalinta Talaadada ku dhawaaqday qorshe cusub oo lagu "
    "ballaarinayo helitaanka internetka ee dugsiyada miyiga.",
    "zu": "Uhulumeni umemezele uhlelo olusha ngoLwesibili lokwandisa ukufinyelela "
    "kwi-inthanethi ezikoleni zasemakhaya.",
    "ru": "Правительство во вторник объявило о новом плане по расширению доступа к "
    "интернету в сельских школах страны.",
    "uk": "Уряд у вівторок оголосив новий план розширення доступу до інтернету в сільських школах.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لتوسيع الوصول إلى الإنترنت في المدارس "
    "الريفية في البلاد.",
    "fa": "دولت روز سه‌شنبه طرح جدیدی را برای گسترش دسترسی به اینترنت در مدارس روستایی "
    "کشور اعلام کرد.",
    "ur": "حکومت نے منگل کے روز ملک کے دیہی اسکولوں میں انٹرنیٹ تک رسائی بڑھانے کے لیے "
    "ایک نئے منصوبے کا اعلان کیا۔",
    "hi": "सरकार ने मंगलवार को देश के ग्रामीण स्कूलों में इंटरनेट की पहुंच बढ़ाने के लिए एक नई योजना की घोषणा की।",
    "bn": "সরকার মঙ্গলবার দেশের গ্রামীণ স্কুলগুলোতে ইন্টারনেট সুবিধা বাড়ানোর জন্য একটি নতুন পরিকল্পনা ঘোষণা করেছে।",
    "am": "መንግሥት በገጠር ትምህርት ቤቶች የኢንተርኔት አገልግሎትን ለማስፋፋት አዲስ እቅድ ማክሰኞ ይፋ አደረገ።",
    "zh": "政府周二宣布了一项新计划，以扩大全国农村学校的互联网接入。",
    "ja": "政府は火曜日、地方の学校でインターネット接続を拡大する新たな計画を発表した。",
    "ko": "정부는 화요일 농촌 학교의 인터넷 접속을 확대하기 위한 새로운 계획을 발표했다.",
    "th": "รัฐบาลประกาศแผนใหม่เมื่อวันอังคารเพื่อขยายการเข้าถึงอินเทอร์เน็ตในโรงเรียนชนบท",
    "ka": "მთავრობამ სამშაბათს სოფლის სკოლებში ინტერნეტის გაფართოების ახალი გეგმა გამოაცხადა.",
    "hy": "Կառավարությունը երեքշաբթի օրը հայտարարեց գյուղական դպրոցներում ինտերնետի նոր "
    "ծրագրի մասին։",
    "ta": "அரசாங்கம் செவ்வாய்க்கிழமை கிராமப்புற பள்ளிகளுக்கான புதிய இணைய திட்டத்தை அறிவித்தது.",
    "km": "រដ្ឋាភិបាលបានប្រកាសផែនការថ្មីមួយនៅថ្ងៃអង្គារ ដើម្បីពង្រីកអ៊ីនធឺណិតនៅសាលារៀនជនបទ។",
    "my": "အစိုးရသည် ကျေးလက်ကျောင်းများတွင် အင်တာနက်ချဲ့ထွင်ရန် အစီအစဉ်သစ်ကို ကြေညာခဲ့သည်။",
    "el": "Η κυβέρνηση ανακοίνωσε την Τρίτη ένα νέο σχέδιο για την επέκταση της πρόσβασης "
    "στο διαδίκτυο στα αγροτικά σχολεία.",
    "he": "הממשלה הודיעה ביום שלישי על תוכנית חדשה להרחבת הגישה לאינטרנט בבתי ספר כפריים.",
}

ENGLISH = (
    "Mobile money has changed how small traders in Nairobi pay their suppliers, and the "
    "central bank now wants the same rails to carry cross-border payments.\n\n"
    "Officials said the pilot would start with three banks and two telecom operators "
    "before opening to other providers next year."
)
FRENCH_QUOTE = (
    "« Nous voulons que chaque commerçant de la région puisse envoyer de l'argent à Dakar "
    "ou à Abidjan aussi facilement qu'un SMS », a déclaré la directrice du projet."
)
# Malay and Indonesian write this sentence identically: only hints can tell.
MALAY_OR_INDONESIAN = "Dia tidak datang ke sekolah hari ini."
# Danish or Norwegian Bokmål: py3langid cannot separate them, so langdetect is asked.
DANISH_OR_NORWEGIAN = "Det er en god plan for landet."


@pytest.mark.parametrize(("expected", "text"), sorted(SENTENCES.items()))
def test_sentences_in_many_languages(expected: str, text: str) -> None:
    result = detect(text)
    assert result.language == expected
    assert result.shares == {expected: 1.0}
    assert not result.code_switched


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "OK", "Merci !", "12345 67890 -- 2024", "ok\n\nno"]
)
def test_too_short_or_empty_is_und(text: str) -> None:
    assert detect(text) == LanguageResult("und", 0.0, {}, False)


def test_text_is_normalised_to_nfc_first() -> None:
    decomposed = unicodedata.normalize("NFD", SENTENCES["yo"])
    assert decomposed != SENTENCES["yo"]
    assert detect(decomposed) == detect(SENTENCES["yo"])


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        (LanguageHints(country="MY"), "ms"),
        (LanguageHints(country="BN"), "ms"),
        (LanguageHints(country="SG"), "ms"),
        (LanguageHints(country="ID"), "id"),
        (LanguageHints(source_languages=("ms",)), "ms"),
        (LanguageHints(source_languages=("id",)), "id"),
        (LanguageHints(html_lang="ms-MY"), "ms"),
        (LanguageHints(html_lang="id-ID"), "id"),
    ],
)
def test_hints_decide_malay_or_indonesian_on_short_text(
    hints: LanguageHints, expected: str
) -> None:
    assert detect(MALAY_OR_INDONESIAN, hints).language == expected


def test_clear_marker_words_outweigh_the_country() -> None:
    malay = "Polis berkata kemalangan itu berlaku kerana pemandu teksi tidak sedar akan lori."
    assert detect(malay, LanguageHints(country="ID")).language == "ms"


@pytest.mark.parametrize(
    "hints",
    [
        LanguageHints(html_lang="en-US"),
        LanguageHints(og_locale="en_US", content_language="en"),
        LanguageHints(html_lang="en-US", source_languages=("en",), country="SN"),
    ],
)
def test_clear_text_wins_over_a_cms_default(hints: LanguageHints) -> None:
    assert detect(FRENCH_QUOTE, hints).language == "fr"


def test_hint_tips_an_ambiguous_short_text() -> None:
    # Portuguese or Galician: the text leans Portuguese, the source's declaration settles it.
    text = "A casa é grande e bonita."
    assert detect(text).language == "pt"
    assert detect(text, LanguageHints(source_languages=("gl",))).language == "gl"


def test_ethiopic_script_is_amharic_unless_tigrinya_is_hinted() -> None:
    assert detect(SENTENCES["am"]).language == "am"
    assert detect(SENTENCES["am"], LanguageHints(html_lang="ti")).language == "ti"


def test_english_article_quoting_french_is_code_switched() -> None:
    text = f"{ENGLISH}\n\n{FRENCH_QUOTE}\n\n{ENGLISH}"
    result = detect(text)
    assert result.language == "en"
    assert result.code_switched
    assert set(result.shares) == {"en", "fr"}
    assert 0.15 <= result.shares["fr"] < 0.5
    assert sum(result.shares.values()) == pytest.approx(1.0, abs=1e-3)


def test_monolingual_article_is_not_code_switched() -> None:
    result = detect(f"{ENGLISH}\n\n{ENGLISH}")
    assert (result.language, result.code_switched, result.shares) == ("en", False, {"en": 1.0})


def test_short_paragraphs_join_their_neighbours() -> None:
    # A caption and a byline are too short to be judged on their own.
    text = f"Photo: Reuters\n\n{FRENCH_QUOTE}\n\nBy A. Diallo"
    assert detect(text).shares == {"fr": 1.0}


def test_confidence_is_a_probability() -> None:
    texts = [*SENTENCES.values(), f"{ENGLISH}\n\n{FRENCH_QUOTE}", MALAY_OR_INDONESIAN, ""]
    for text in texts:
        assert 0.0 <= detect(text).confidence <= 1.0


def test_result_crosses_process_boundaries() -> None:
    result = detect(f"{ENGLISH}\n\n{FRENCH_QUOTE}")
    assert pickle.loads(pickle.dumps(result)) == result


def test_same_answer_in_every_process() -> None:
    code = (
        "from crawler.lang.detect import detect\n"
        "from tests import test_language as t\n"
        "texts = [*t.SENTENCES.values(), t.ENGLISH + '\\n\\n' + t.FRENCH_QUOTE,\n"
        "         t.MALAY_OR_INDONESIAN, t.DANISH_OR_NORWEGIAN]\n"
        "print([detect(text) for text in texts])\n"
    )
    outputs = {python_output(code, hash_seed=seed) for seed in ("1", "2")}
    assert len(outputs) == 1
    assert "LanguageResult" in outputs.pop()


def test_langdetect_is_asked_only_on_near_ties(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, ...]] = []

    def recording(text: str, languages: tuple[str, ...]) -> dict[str, float]:
        asked.append(languages)
        return langdetect_probabilities(text, languages)

    monkeypatch.setattr(language, "langdetect_probabilities", recording)
    assert detect(SENTENCES["en"]).language == "en"
    assert asked == []
    assert detect(DANISH_OR_NORWEGIAN).language in {"da", "no"}
    assert [set(pair) for pair in asked] == [{"da", "no"}]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("pt_BR", "pt"),
        (" FR ", "fr"),
        ("fil", "tl"),
        ("iw", "he"),
        ("zh-Hant-TW", "zh"),
        ("x-default", None),
        ("", None),
        (None, None),
    ],
)
def test_language_tags_reduce_to_iso_639_1(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def test_scripts_are_counted_per_letter() -> None:
    counts = profile("Addis Ababa: አዲስ አበባ 2024!").counts
    assert counts == {"Latin": 10, "Ethiopic": 6}
    assert (script_of("ę"), script_of("ก"), script_of("한"), script_of("ア")) == (
        "Latin",
        "Thai",
        "Hangul",
        "Kana",
    )


def test_malay_and_indonesian_marker_lists_are_disjoint() -> None:
    assert not MALAY_WORDS & INDONESIAN_WORDS
    assert malay_indonesian_balance("Polis berkata kerana wang itu hilang.") == 2
    assert malay_indonesian_balance("Polisi mengatakan karena uang itu hilang.") == -3
    # A title-case English name is not a Malay word.
    assert malay_indonesian_balance("Dia dirawat di Brigham and Women's Hospital.") == 0


_ODD_TEXTS = [
    "",
    "1234 5678 !!!",
    "OK OK OK",
    "MOBILE MONEY IS GROWING FAST IN KENYA AND TANZANIA",  # all capitals: py3langid lowers it
    "Cafe\u0301 cre\u0300me",  # decomposed accents: py3langid composes them (NFC)
    "Mkutano wa wadau wa teknolojia umefanyika jijini Nairobi wiki hii.",
    "x" * 4000,  # beyond MAX_MODEL_CHARS
]


@pytest.mark.parametrize("batch_bytes", [batched.BATCH_BYTES, 150])
def test_batched_scores_are_py3langids_own_to_the_last_bit(
    batch_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """crawler.lang.batched reads py3langid's private tokenizer and scoring: each row must
    equal py3langid's ``_decide`` for that text alone, so an upgrade that changes either
    shows here. The texts are walked together (in one run, or in runs of about 150 bytes),
    so that a walk running across the boundary between two paragraphs would change the
    scores of the second."""
    monkeypatch.setattr(batched, "BATCH_BYTES", batch_bytes)
    identifier = models._identifier()
    texts = [*SENTENCES.values(), DANISH_OR_NORWEGIAN, *_ODD_TEXTS]
    rows = batched.scores(identifier, texts)
    for text, row in zip(texts, rows, strict=True):
        assert row.tobytes() == identifier._decide(text).tobytes(), text


def test_no_tokenizer_state_lies_deeper_than_the_batched_walk_reads() -> None:
    """The batched walk finds each byte's state from the DEPTH bytes before it, which is
    exact only if no state of the tokenizer is further than DEPTH bytes from its start."""
    nextmove, rowbase, _ = batched._tables(models._identifier())
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while len(frontier):
        reached = np.unique(np.concatenate([
            nextmove[(rowbase[chunk][:, None] + np.arange(256)).ravel()]
            for chunk in np.array_split(frontier, len(frontier) // 4096 + 1)
        ]))  # fmt: skip
        frontier = reached[~seen[reached]]
        seen[frontier] = True
        depth += bool(len(frontier))
    assert seen.all()  # every state counted
    assert depth <= batched.DEPTH


def test_posteriors_of_a_batch_are_those_of_each_text_alone() -> None:
    texts = [*SENTENCES.values(), *_ODD_TEXTS]
    named = frozenset({"fy"})
    together = models.py3langid_posteriors(texts, named)
    assert together == [models.py3langid_posteriors([text], named)[0] for text in texts]
    ranked = models._identifier().rank(SENTENCES["fr"])  # py3langid's public ranking
    assert next(iter(together[list(SENTENCES).index("fr")])) == ranked[0][0]
