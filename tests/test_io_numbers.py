"""Numbers as CRM exports write them: currency, grouping, percent, signs; ambiguity is refused."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.errors import InputError
from mcda_qualify.io.numbers import (
    DE,
    EN,
    AmbiguousNumberError,
    NumberError,
    NumberLocale,
    detect_locale,
    parse_number,
    read_number,
)


@pytest.mark.parametrize("text, decimal, thousands, expected", [
    ("EUR 1,250,000.00", None, None, 1250000.0),
    ("1.250.000 €", None, None, 1250000.0),
    ("$1,200", ".", ",", 1200.0),
    ("CHF 1'250.50", None, None, 1250.5),
    ("CHF 1\u2019250.50", None, None, 1250.5),
    ("1 250 000,00", None, None, 1250000.0),
    ("1\u00a0250\u00a0000,00\u00a0€", None, None, 1250000.0),
    ("1\u202f250\u202f000,00", ",", " ", 1250000.0),
    ("60%", None, None, 0.6),
    ("60 %", None, None, 0.6),
    ("+12.5", None, None, 12.5),
    ("-3,5", None, None, -3.5),
    ("\u22123,5", None, None, -3.5),
    ("(1,200.00)", None, None, -1200.0),
    ("1.200,00-", None, None, -1200.0),
    ("0.500", None, None, 0.5),      # a thousands group never starts the number with 0
    ("1234.500", None, None, 1234.5),  # 4 digits before the separator: no thousands grouping
    ("12.345.678", None, None, 12345678.0),
    ("1.5E+06", None, None, 1.5e6),
    ("120", None, None, 120.0),
    ("8.500", ",", ".", 8500.0),
    ("8.500", ".", ",", 8.5),
    ("1,250", ".", None, 1250.0),
    ("1,250", ",", None, 1.25),
])
def test_accepted_forms(text, decimal, thousands, expected):
    assert parse_number(text, decimal, thousands) == expected


def test_currency_and_percent_are_reported():
    got = read_number("EUR 1,250,000.00")
    assert got.value == Decimal("1250000.00") and got.currency == "EUR" and not got.percent
    got = read_number("45 %")
    assert got.value == Decimal(45) and got.percent and got.number == 0.45


@pytest.mark.parametrize("text, a, b", [("8.500", "8500", "8.5"), ("1,250", "1250", "1.25"), ("-2.750 €", "2750", "2.75")])
def test_ambiguous_names_both_readings(text, a, b):
    with pytest.raises(AmbiguousNumberError) as exc:
        parse_number(text, file="x.csv", row=7, column="Amount")
    msg = str(exc.value)
    assert f"could be {a} (thousands" in msg and f"or {b} (decimal" in msg
    assert "x.csv, row 7, column 'Amount'" in msg
    assert "numbers: {decimal:" in msg
    assert {str(abs(v).normalize()) for v in exc.value.readings.values()} == {str(Decimal(a).normalize()), str(Decimal(b).normalize())}


def test_declared_mismatch_names_the_cell():
    with pytest.raises(NumberError) as exc:
        parse_number("1,5", decimal=".", file="x.csv", row=3, column="Amount")
    msg = str(exc.value)
    assert "x.csv, row 3, column 'Amount'" in msg and "does not fit the declared number format" in msg
    assert "it would read as 1.5 with numbers: {decimal: ','" in msg
    assert isinstance(exc.value, InputError) and not isinstance(exc.value, AmbiguousNumberError)


@pytest.mark.parametrize("text", ["abc", "OPP-01", "1,2,3", "--5", "+(5)", "", "12 kg", "1.2.3,4,5", "EUR 5 USD"])
def test_not_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_declared_locale_validation():
    with pytest.raises(ValueError, match="decimal"):
        parse_number("1", decimal=";")
    with pytest.raises(ValueError, match="differ"):
        parse_number("1", decimal=".", thousands=".")


def test_detect_locale():
    assert detect_locale(["120", "8.500", "1.250.000"]) == DE  # 1.250.000 decides: thousands '.'
    assert detect_locale(["120", "8.500", "2,75"]) == DE
    assert detect_locale(["1,250", "3.5"]) == EN
    assert detect_locale(["8.500", "120", "", "n/a", 7.5]) is None  # nothing decides
    with pytest.raises(NumberError, match="mixed number formats"):
        detect_locale(["1,250.50", "1.250,50"], column="Amount")


# --------------------------------------------------------------------------------------------
# property tests: a number written in a locale style reads back exactly
# --------------------------------------------------------------------------------------------

STYLES = [NumberLocale(".", ","), NumberLocale(",", "."), NumberLocale(",", " "), NumberLocale(".", "'"),
          NumberLocale(".", ""), NumberLocale(",", "")]
SPACES = [" ", "\u00a0", "\u202f"]


def _write(whole: int, frac: str, loc: NumberLocale, space: str) -> str:
    digits = str(whole)
    if loc.thousands:
        sep = space if loc.thousands == " " else loc.thousands
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = sep.join([digits, *groups])
    return digits + (loc.decimal + frac if frac else "")


numbers = st.tuples(st.integers(0, 10**13), st.text("0123456789", max_size=4))


@settings(max_examples=300, deadline=None)
@given(numbers, st.sampled_from(STYLES), st.sampled_from(SPACES),
       st.sampled_from([("", ""), ("EUR ", ""), ("€", ""), ("$ ", ""), ("", " €"), ("", " EUR"), ("", "%"), ("", " %")]),
       st.booleans())
def test_round_trip_declared(num, loc, space, around, negative):
    prefix, suffix = around
    whole, frac = num
    text = ("-" if negative else "") + prefix + _write(whole, frac, loc, space) + suffix
    got = read_number(text, loc.decimal, loc.thousands)
    expected = Decimal(f"{whole}.{frac or 0}") * (-1 if negative else 1)
    assert got.value == expected
    assert got.percent == suffix.endswith("%")
    assert parse_number(text, loc.decimal, loc.thousands) == float(expected / 100 if got.percent else expected)


@settings(max_examples=300, deadline=None)
@given(numbers, st.sampled_from(STYLES), st.sampled_from(SPACES))
def test_round_trip_undeclared_never_guesses(num, loc, space):
    """Without a declaration a number reads back exactly, or is refused as ambiguous with the right
    reading among the two; never a silent wrong value."""
    whole, frac = num
    text = _write(whole, frac, loc, space)
    expected = Decimal(f"{whole}.{frac or 0}")
    try:
        assert read_number(text).value == expected
    except AmbiguousNumberError as exc:
        assert expected in exc.readings.values()


@settings(max_examples=200, deadline=None)
@given(st.lists(numbers, min_size=1, max_size=8), st.sampled_from(STYLES[:4]))
def test_detected_locale_is_never_the_wrong_one(nums, loc):
    texts = [_write(w, f, loc, " ") for w, f in nums]
    got = detect_locale(texts)
    assert got is None or got.decimal == loc.decimal
    if got is not None:
        for (w, f), t in zip(nums, texts):
            assert read_number(t, *got).value == Decimal(f"{w}.{f or 0}")


# -- the fast path for plain numbers (issue 12: a 10,000-row export is mostly plain numbers) --------

_LOCALES = [None, EN, DE, NumberLocale(".", ""), NumberLocale(",", " "), NumberLocale(".", "'"), NumberLocale(",", "")]
_plainish = st.builds(
    lambda sign, whole, frac, pad: f"{pad}{sign}{whole}{'' if frac is None else '.' + frac}{pad}",
    st.sampled_from(["", "-", "+"]), st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    st.one_of(st.none(), st.from_regex(r"[0-9]{0,6}", fullmatch=True)), st.sampled_from(["", " ", "\u00a0"]))


def _outcome(fn, *args):
    try:
        r = fn(*args)
        return ("ok", str(r.value) if hasattr(r, "value") else r, getattr(r, "percent", None), getattr(r, "currency", None))
    except InputError as exc:
        return (type(exc).__name__, str(exc))


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(_plainish, st.text(alphabet="0123456789.,- '", max_size=14)),
       loc=st.sampled_from(_LOCALES))
def test_fast_path_reads_as_the_full_reader(text, loc):
    """Same value (to the Decimal's digits), or the same error, with and without the fast path."""
    import mcda_qualify.io.numbers as numbers

    args = (text, *(loc or (None, None)))
    fast = _outcome(read_number, *args)
    real = numbers._plain
    numbers._plain = lambda t, l: None
    try:
        full = _outcome(read_number, *args)
    finally:
        numbers._plain = real
    assert fast == full


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(_plainish, st.text(alphabet="0123456789.,- '", max_size=12)), max_size=8))
def test_fast_path_detects_the_locale_as_the_full_reader(values):
    import re

    import mcda_qualify.io.numbers as numbers

    fast = _outcome(detect_locale, values)
    real = numbers._PLAIN
    numbers._PLAIN = re.compile(r"(?!)")  # matches nothing: every value takes the full path
    try:
        full = _outcome(detect_locale, values)
    finally:
        numbers._PLAIN = real
    assert fast == full
