"""Reader-facing wording of the published site that Babel's CLDR data lacks.

One table per language; a locale without one gets English, marked lang="en" where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

WORDING: dict[str, dict[str, str]] = {
    "en": {
        "all_articles": "All articles",
        "languages": "Languages",
        "original": "Read the original edition",
        "fallback_notice": "Parts of this page are not translated yet: they are shown in the original language "
        "and marked in the text.",
        "mt_notice": "Parts of this page are machine translations that nobody has reviewed yet: "
        "they are marked in the text.",
        "fallback_label": "not translated",
        "mt_label": "machine translation",
        "feed": "Subscribe (Atom feed)",
        "pages": "Pages",
        "newer": "Newer articles",
        "older": "Older articles",
    },
    "ro": {
        "all_articles": "Toate articolele",
        "languages": "Limbi",
        "original": "Citiți ediția originală",
        "fallback_notice": "Unele părți ale acestei pagini nu sunt traduse încă: apar în limba originală "
        "și sunt marcate în text.",
        "mt_notice": "Unele părți ale acestei pagini sunt traduceri automate pe care nu le-a revizuit încă nimeni: "
        "sunt marcate în text.",
        "fallback_label": "netradus",
        "mt_label": "traducere automată",
        "feed": "Abonare (flux Atom)",
        "pages": "Pagini",
        "newer": "Articole mai noi",
        "older": "Articole mai vechi",
    },
    "de": {
        "all_articles": "Alle Artikel",
        "languages": "Sprachen",
        "original": "Originalausgabe lesen",
        "fallback_notice": "Teile dieser Seite sind noch nicht übersetzt: Sie erscheinen in der Originalsprache "
        "und sind im Text markiert.",
        "mt_notice": "Teile dieser Seite sind maschinelle Übersetzungen, die noch niemand geprüft hat: "
        "Sie sind im Text markiert.",
        "fallback_label": "nicht übersetzt",
        "mt_label": "maschinelle Übersetzung",
        "feed": "Abonnieren (Atom-Feed)",
        "pages": "Seiten",
        "newer": "Neuere Artikel",
        "older": "Ältere Artikel",
    },
    "fr": {
        "all_articles": "Tous les articles",
        "languages": "Langues",
        "original": "Lire l’édition originale",
        "fallback_notice": "Certaines parties de cette page ne sont pas encore traduites : elles apparaissent "
        "dans la langue d’origine et sont signalées dans le texte.",
        "mt_notice": "Certaines parties de cette page sont des traductions automatiques que personne n’a encore "
        "relues : elles sont signalées dans le texte.",
        "fallback_label": "non traduit",
        "mt_label": "traduction automatique",
        "feed": "S’abonner (flux Atom)",
        "pages": "Pages",
        "newer": "Articles plus récents",
        "older": "Articles plus anciens",
    },
    "ar": {
        "all_articles": "كل المقالات",
        "languages": "اللغات",
        "original": "اقرأ النسخة الأصلية",
        "fallback_notice": "أجزاء من هذه الصفحة لم تُترجم بعد: تظهر باللغة الأصلية وهي مميزة في النص.",
        "mt_notice": "أجزاء من هذه الصفحة ترجمة آلية لم يراجعها أحد بعد: وهي مميزة في النص.",
        "fallback_label": "غير مترجم",
        "mt_label": "ترجمة آلية",
        "feed": "اشترك (موجز Atom)",
        "pages": "الصفحات",
        "newer": "مقالات أحدث",
        "older": "مقالات أقدم",
    },
}

# The separator between author and date; CLDR has no list pattern for two unlike things.
BYLINE_SEPARATOR = {"ar": "، ", "fa": "، ", "ur": "، "}


@dataclass(frozen=True)
class Phrase:
    text: str
    language: str  # the language it is in: the locale's, or "en" where the table lacks it


def phrase(locale: str, key: str) -> Phrase:
    language = locale.split("_")[0]
    table = WORDING.get(language)
    return Phrase(table[key], locale) if table else Phrase(WORDING["en"][key], "en")


def byline_separator(locale: str) -> str:
    return BYLINE_SEPARATOR.get(locale.split("_")[0], ", ")
