from layan.catalogue.search_text import normalise
from layan.messaging.engine.text import search_terms, words


def test_commands_are_read_whatever_the_separators_case_or_width():
    assert words("#JAM") == ["jam"]
    assert words("syarat.ktp") == ["syarat", "ktp"]
    assert words("ＳＹＡＲＡＴ  KTP,  tolooong") == ["syarat", "ktp", "tolong"]
    assert words("LAYANAN 2") == ["layanan", "2"]


def test_the_engine_reads_text_as_the_search_does():
    text = "Gmn ngurus E-KTP yg hilaaang??"
    assert words(text) == normalise(text).split()
    assert search_terms(text) == "ktp hilang"
