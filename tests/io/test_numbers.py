from decimal import Decimal

import pytest

from finsam_opt.io.columns import parse_header
from finsam_opt.io.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1 234 567", Decimal(1234567), None),
        ("1\u00a0234\u00a0567", Decimal(1234567), None),
        ("1\u202f234\u2009567", Decimal(1234567), None),
        ("1 234,5", Decimal("1234.5"), None),
        ("1234.5", Decimal("1234.5"), None),
        ("2 700 tkr", Decimal(2700), "tkr"),
        ("3,0 Mkr", Decimal("3.0"), "mkr"),
        ("400 000 kr", Decimal(400000), None if False else "kr"),
        ("\u22125", Decimal(-5), None),
        ("0", Decimal(0), None),
    ],
)
def test_swedish_numbers(text: str, value: Decimal, unit: str | None) -> None:
    assert parse_number(text) == (value, unit)


@pytest.mark.parametrize("text", ["", "abc", "1.234,5", "1,2,3", "1.2.3", "12 kronor", "1e"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "name", "unit"),
    [
        ("Förbund", "unit", None),
        ("  FÖRBUND ", "unit", None),
        ("Invånare 16–64", "population", None),
        ("invånare  16 - 64", "population", None),
        ("Föregående års tilldelning (tkr)", "previous_allocation", "tkr"),
        ("Ansökt belopp, kr", "requested", "kr"),
        ("Kommunernas bidrag (Mkr)", "municipal_match", "mkr"),
        ("regional_match", "regional_match", None),
        ("Län", "region", None),
        ("Kommunkod", "municipality_code", None),
        ("Eget kapital", "equity", None),
        ("Omsättning (tkr)", "turnover", "tkr"),
        ("Något annat", None, None),
    ],
)
def test_headers(text: str, name: str | None, unit: str | None) -> None:
    header = parse_header(text)
    assert (header.name, header.unit) == (name, unit)
