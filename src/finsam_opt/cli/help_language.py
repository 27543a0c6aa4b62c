"""The language of the command line's help texts and of argparse's own messages.

``--language`` is read from the arguments before the parser is built
(:func:`language_of`), so ``finsam-opt allocate --help`` is Swedish and
``finsam-opt allocate --language en --help`` English. Each help text is given in
both languages with :func:`help_text`; argparse's own words (*usage*, *options*,
*the following arguments are required*) are translated while :func:`speaking`
is active, through argparse's gettext hook.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

from finsam_opt.language.words import LANGUAGES

__all__ = ["help_text", "language_of", "speaking"]

_LANGUAGE: ContextVar[str] = ContextVar("finsam_help_language", default="sv")

# argparse's own messages (Python 3.10–3.13) in Swedish; any other stays as argparse writes it.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "positional arguments": "argument",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "expected one argument": "förväntade ett värde",
    "expected at least one argument": "förväntade minst ett värde",
    "expected at most one argument": "förväntade högst ett värde",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan betyda %(matches)s"
    ),
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "not allowed with argument %s": "inte tillåtet tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ignored explicit argument %r": "värdet %r ignorerades",
}
_ARGPARSE_SV_PLURAL = {"expected %s argument": ("förväntade %s värde", "förväntade %s värden")}


def help_text(sv: str, en: str) -> str:
    """A help text in the language the parser is being built in.

    Examples
    --------
    >>> help_text("förbundstabellen", "the unit table")
    'förbundstabellen'
    >>> with speaking("en"):
    ...     help_text("förbundstabellen", "the unit table")
    'the unit table'
    """
    return sv if _LANGUAGE.get() == "sv" else en


def language_of(argv: Sequence[str]) -> str:
    """The ``--language`` an argument list gives (``sv`` when none, or an unknown one,
    which the parser then refuses in Swedish).

    Examples
    --------
    >>> language_of(["allocate", "--language", "en", "--help"]), language_of(["--language=en"])
    ('en', 'en')
    >>> language_of(["example"])
    'sv'
    """
    for position, argument in enumerate(argv):
        value = None
        if argument == "--language" and position + 1 < len(argv):
            value = argv[position + 1]
        elif argument.startswith("--language="):
            value = argument.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return "sv"


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Build and run the parser in ``language``: help texts and argparse's own messages."""
    token = _LANGUAGE.set(language)
    gettext, ngettext = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    if language == "sv":
        argparse._ = lambda text: _ARGPARSE_SV.get(text, text)  # type: ignore[attr-defined]
        argparse.ngettext = _plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
        _LANGUAGE.reset(token)


def _plural(singular: str, plural: str, count: int) -> str:
    forms = _ARGPARSE_SV_PLURAL.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]
