"""Glossary terms protected from the model as placeholders, and put back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from translate_flow.checks import GlossaryTerm
from translate_flow.model import PLACEHOLDER
from translate_flow.terminology import protect, terms_for

GLOSSARY = [
    GlossaryTerm("NATO", "*", ()),
    GlossaryTerm("Mark Rutte", "*", ()),
    GlossaryTerm("European Union", "ro", ("Uniunea Europeană", "Uniunii Europene")),
    GlossaryTerm("European Union", "fr", ("Union européenne",)),
    GlossaryTerm("Union", "*", ()),
]


def test_terms_for_a_locale_longest_first():
    assert [t.source for t in terms_for(GLOSSARY, "fr")] == ["European Union", "Mark Rutte", "Union", "NATO"]
    assert terms_for(GLOSSARY, "de")[0] == GlossaryTerm("Mark Rutte", "*", ())


def test_do_not_translate_and_single_form_terms_become_placeholders():
    text = "<1>NATO</1> and the European Union, Mark Rutte said of NATO."
    protected = protect(text, terms_for(GLOSSARY, "fr"))
    assert protected.text == "<1><4/></1> and the <2/>, <3/> said of <5/>."
    garbled = "xx <1><4/></1> yy <2/> zz <3/> <5/>"  # what a model that knows no words makes of it
    assert protected.restore(garbled) == ("xx <1>NATO</1> yy Union européenne zz Mark Rutte NATO", True)


def test_inflected_terms_are_left_to_the_model_and_checked():
    protected = protect("The European Union and NATO.", terms_for(GLOSSARY, "ro"))
    assert protected.text == "The European Union and <1/>."
    assert protected.restore("Uniunii Europene și <1/>.") == ("Uniunii Europene și NATO.", True)
    assert protected.restore("Uniunea Europeana și <1/>.") == ("Uniunea Europeana și NATO.", False)


def test_terms_inside_words_are_not_terms():
    assert protect("NATOs and UNATO", terms_for(GLOSSARY, "de")).text == "NATOs and UNATO"


PIECES = st.sampled_from(["NATO", "Mark Rutte", "Union", "the", "said", ",", " ", "<1>", "</1>", "<2/>", "x"])


@given(st.lists(PIECES, max_size=20).map(" ".join))
def test_protected_terms_always_come_back(text):
    protected = protect(text, terms_for(GLOSSARY, "de"))
    for term in ("NATO", "Mark Rutte", "Union"):
        outside = PLACEHOLDER.sub(" ", protected.text)
        assert f" {term} " not in f" {outside} "
    assert protected.restore(protected.text) == (text, True)
    # The sentence's own placeholders are untouched: the model sees them as before.
    assert [p for p in PLACEHOLDER.findall(protected.text) if p in text] == PLACEHOLDER.findall(text)
