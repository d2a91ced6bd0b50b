"""Stemming and query reading: no database."""

from hrnet.search.query import MAX_QUERY_CHARS, query_parse, query_was_cut
from hrnet.search.text import stem, stems


def test_russian_word_forms_share_a_stem():
    assert stem("гепатита") == stem("Гепатит") == stem("гепатиту")
    assert stem("лечения") == stem("лечение")


def test_english_word_forms_share_a_stem():
    assert stem("Treatments") == stem("treatment")
    assert stem("injecting") == stem("injected")


def test_stop_words_are_not_search_terms():
    assert stems("the access to и в лечение") == [stem("access"), stem("лечение")]


def test_a_query_reads_words_phrases_and_exclusions():
    query = query_parse('naloxone "peer distribution" -prison')

    assert query.terms == (("naloxon",), ("peer", "distribut"))
    assert query.excluded == (("prison",),)


def test_a_query_of_stop_words_or_punctuation_searches_nothing():
    assert not query_parse("the and of")
    assert not query_parse("  ?!… ")
    assert not query_parse('"')


def test_a_very_long_query_is_cut_not_refused():
    raw = "harm reduction " * 500

    query = query_parse(raw)

    assert query
    assert len(query.raw) <= MAX_QUERY_CHARS
    assert query_was_cut(raw)
    assert not query_was_cut("naloxone")
