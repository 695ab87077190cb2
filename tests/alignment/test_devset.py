"""The committed model on the labelled set: unrelated articles (almost) never pair, close translations do."""

from __future__ import annotations

import pytest

from translate_flow.align import align

from .devset import cases


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return [(case, align(case.source, case.target)) for case in cases(tmp_path_factory.mktemp("devset"))]


def test_unrelated_articles_on_the_same_subject_are_hardly_paired_and_are_flagged(results):
    unrelated = [(case, alignment) for case, alignment in results if case.variant == "unrelated"]
    assert unrelated
    for case, alignment in unrelated:
        assert sum(1 for bead in alignment.beads if bead.source and bead.target) <= 2, case.name
        assert alignment.different_articles, case.name


def test_close_translations_are_linked_and_look_like_one_article(results):
    for case, alignment in [(c, a) for c, a in results if c.variant == "close"]:
        found = {(i, j) for bead in alignment.beads for i in bead.source for j in bead.target}
        assert found <= case.links, case.name
        assert len(found) >= 0.75 * len(case.links), case.name
        assert not alignment.different_articles, case.name


def test_links_out_of_order_join_the_sentences_an_edition_moved(results):
    crossing_links = 0
    for case, alignment in results:
        links = {(i, j) for bead in alignment.beads for i in bead.source for j in bead.target}
        crossing = {(i, j) for i, j in links for k, m in links if (k - i) * (m - j) < 0}
        assert crossing <= case.links, (case.name, sorted(crossing - case.links))
        crossing_links += len(crossing)
    assert crossing_links >= 40  # the reordered editions' moved paragraphs, and swaps in the rewrites
