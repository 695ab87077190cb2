"""Plural-Forms: gettext's rule for each language."""

from __future__ import annotations

# Plural-Forms as the GNU gettext manual gives them ("Plural forms" section).
# Babel's CLDR-derived rules differ for some languages (fr, ro) and msgfmt
# rejects a few of them, so gettext's conventions come first.
_GETTEXT_PLURALS = {
    "nplurals=1; plural=0;": "ja ko vi th id ms zh lo my km",
    "nplurals=2; plural=(n != 1);": "en de nl sv da no nb nn fo es pt it bg el fi et he eo hu tr ca gl eu af sq",
    "nplurals=2; plural=(n > 1);": "fr pt_BR oc br ti wa",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);": "lv",
    "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;": "ga",
    "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;": "ro",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);": "lt",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);": (
        "ru uk be sr hr bs"
    ),
    "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;": "cs sk",
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);": "pl",
    "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);": "sl",
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;": "ar",
}
PLURAL_FORMS = {code: rule for rule, codes in _GETTEXT_PLURALS.items() for code in codes.split()}


def plural_forms(locale: str) -> str:
    """The Plural-Forms header for a locale, following gettext's conventions."""
    for code in (locale, locale.split("_")[0]):
        if code in PLURAL_FORMS:
            return PLURAL_FORMS[code]
    from babel.messages.plurals import get_plural

    return str(get_plural(locale))
