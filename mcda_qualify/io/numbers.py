"""Numbers as spreadsheets and CRM exports write them, read without guessing.

Accepted around a number: a currency symbol or ISO code before or after it (``EUR 1,250,000.00``,
``1.250.000 €``, ``$1,200``, ``CHF 1'250.50``), a percent sign, a leading ``+``/``-`` (or the
Unicode minus), a trailing ``-`` (SAP style) and accounting parentheses for negatives
(``(1,200.00)`` is -1200). Digits may be grouped by the declared thousands separator, by spaces
(also the no-break and narrow no-break spaces that French and Swiss locales write) or by
apostrophes; groups after the first have exactly three digits.

A *number format* is ``(decimal, thousands)``: ``(".", ",")`` as in en-US or ``(",", ".")`` as in
de-DE. When none is declared, a number is read only if both formats give the same value or only
one of them fits it; ``8.500`` or ``1,250`` fit both with different values and are refused with
both readings named, never guessed. :func:`detect_locale` lets the other values of a column decide.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from ..errors import InputError

__all__ = [
    "DE",
    "EN",
    "AmbiguousNumberError",
    "NumberError",
    "NumberLocale",
    "ParsedNumber",
    "detect_locale",
    "format_number",
    "locale_of",
    "parse_number",
    "read_number",
]


class NumberLocale(NamedTuple):
    """How numbers are written: the decimal separator and the thousands separator ('' for none)."""

    decimal: str
    thousands: str


EN = NumberLocale(".", ",")
DE = NumberLocale(",", ".")
DECIMALS = (".", ",")
THOUSANDS = (",", ".", " ", "'", "")


class ParsedNumber(NamedTuple):
    """A number read from text: its exact decimal value (percent sign *not* applied), whether a
    percent sign was written, and the currency symbol or code found around it."""

    value: Decimal
    percent: bool
    currency: str | None

    @property
    def number(self) -> float:
        """The value as a float, a written percent sign applied (``60%`` -> 0.6)."""
        return float(self.value / 100 if self.percent else self.value)


class NumberError(InputError):
    """A cell that is not a number in the declared (or any unambiguous) format."""


class AmbiguousNumberError(NumberError):
    """A number that reads differently in the two formats; ``readings`` maps format -> value."""

    def __init__(self, problem: str, *, readings: dict[NumberLocale, Decimal], **kw: Any) -> None:
        self.readings = readings
        super().__init__(problem, **kw)


_SPACES = " \u00a0\u202f\u2009\u2007\u2008\u200a"
_APOS = "'\u2019\u02bc"
_MINUS = "-\u2212\u2012\u2013"
_MINUS_RE = _MINUS.replace("-", r"\-")
_SYMBOLS = "€$£¥₹₩₽₺₪₫฿₴₦₱¢"
_ISO = ["EUR", "USD", "GBP", "CHF", "JPY", "CNY", "SEK", "NOK", "DKK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN", "CAD", "AUD", "NZD", "INR", "BRL", "ZAR", "RUB", "TRY", "MXN", "SGD", "HKD", "KRW", "AED", "SAR", "ILS"]
_CURRENCY = rf"(?:{'|'.join(_ISO)}|US\$|R\$|A\$|C\$|Fr\.|kr|zł|Kč|Ft|[{_SYMBOLS}])"
_SP = f"[{_SPACES}]*"
_CORE = rf"(?:[0-9](?:[0-9.,{_SPACES}{_APOS}]*[0-9])?|[.,][0-9]+)"
_PATTERN = re.compile(
    rf"^(?P<s1>[+{_MINUS_RE}])?{_SP}(?P<c1>{_CURRENCY})?{_SP}(?P<s2>[+{_MINUS_RE}])?{_SP}"
    rf"(?P<core>{_CORE})(?P<exp>[eE][+{_MINUS_RE}]?[0-9]{{1,3}})?{_SP}(?P<pct>%)?{_SP}"
    rf"(?P<c2>{_CURRENCY})?{_SP}(?P<s3>[{_MINUS_RE}])?$"
)


def _split(text: str) -> tuple[str, str | None, bool, bool, str | None] | None:
    """``text`` -> (core digits and separators, exponent, negative, percent, currency), or None."""
    t = text.strip(_SPACES + "\t\r\n")
    paren = len(t) >= 2 and t[0] == "(" and t[-1] == ")"
    if paren:
        t = t[1:-1].strip(_SPACES)
    m = _PATTERN.match(t)
    if m is None:
        return None
    signs = [s for s in (m["s1"], m["s2"], m["s3"]) if s]
    if len(signs) > 1 or (paren and signs) or (m["c1"] and m["c2"]):
        return None
    negative = paren or (bool(signs) and signs[0] != "+")
    core = m["core"]
    for ch in _SPACES:
        core = core.replace(ch, " ")
    for ch in _APOS:
        core = core.replace(ch, "'")
    exp = m["exp"]
    if exp:
        exp = exp[1:].translate({ord(c): "-" for c in _MINUS})
    return core, exp, negative, bool(m["pct"]), m["c1"] or m["c2"]


def _grouped(part: str, thousands: str) -> str | None:
    """Digits of an integer part written with one kind of grouping (``thousands``, space or
    apostrophe), groups after the first exactly three digits; None when it does not fit."""
    seps = {ch for ch in part if not ch.isdigit()}
    if not seps:
        return part
    if len(seps) > 1:
        return None
    sep = seps.pop()
    if sep not in (" ", "'") and sep != thousands:
        return None
    groups = part.split(sep)
    first, rest = groups[0], groups[1:]
    if not (1 <= len(first) <= 3) or first[0] == "0" or any(len(g) != 3 for g in rest):
        return None
    return "".join(groups)


def _read_core(core: str, loc: NumberLocale, exp: str | None = None) -> Decimal | None:
    """The value of ``core`` written in ``loc``, or None when it does not fit that format."""
    if core.count(loc.decimal) > 1:
        return None
    whole, _, frac = core.partition(loc.decimal)
    if frac and not frac.isdigit():
        return None
    digits = _grouped(whole, loc.thousands) if whole else "0"
    if digits is None or (not whole and not frac):
        return None
    if exp is not None and any(ch in whole for ch in " '" + loc.thousands if ch):
        return None  # 1,250E+3 is no way a program writes numbers
    try:
        value = Decimal(f"{digits}.{frac or '0'}")
        return value.scaleb(int(exp)) if exp else value
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern admits digits only
        return None


def _fmt(x: Decimal) -> str:
    return format(x.normalize(), "f")


def _locale_text(loc: NumberLocale) -> str:
    return f"numbers: {{decimal: '{loc.decimal}', thousands: '{loc.thousands}'}}"


def locale_of(decimal: str | None, thousands: str | None) -> NumberLocale | None:
    """A declared format, completed: the thousands separator defaults to the other of '.' and ','."""
    if decimal is None and thousands is None:
        return None
    if decimal is None:
        decimal = "," if thousands == "." else "."
    if decimal not in DECIMALS:
        raise ValueError(f"decimal must be one of {DECIMALS}, got {decimal!r}")
    if thousands is None:
        thousands = "," if decimal == "." else "."
    if thousands not in THOUSANDS or thousands == decimal:
        raise ValueError(f"thousands must be one of {THOUSANDS} and differ from decimal, got {thousands!r}")
    return NumberLocale(decimal, thousands)


#: plain numbers (ASCII digits, an optional leading '-', an optional '.' and digits): most cells of
#: a machine export. Their reading needs no separator logic: see :func:`_plain`.
_PLAIN = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")


def _plain(text: str, loc: NumberLocale | None) -> Decimal | None:
    """The value of a plain number when the full reader would give exactly it, else None (the full
    reader decides). Digits alone read the same in every format. 'digits.digits' reads as a decimal
    point when the declared decimal is '.', or, with no format declared, when the fraction does not
    have exactly three digits (then '.' cannot be a thousands separator: groups after the first have
    three digits); '8.500' is left to the full reader, which calls it ambiguous."""
    m = _PLAIN.fullmatch(text)
    if m is None:
        return None
    frac = m[2]
    if frac is not None and (loc is not None and loc.decimal != "." or loc is None and len(frac) == 3):
        return None
    value = Decimal(f"{m[1]}.{frac or '0'}")  # built as the full reader builds it (same digits and exponent)
    return -value if text[0] == "-" else value


def read_number(text: str, decimal: str | None = None, thousands: str | None = None,
                **where: Any) -> ParsedNumber:
    """Read ``text`` exactly (see the module doc); ``where`` (file, row, column) locates errors.

    Raises :class:`AmbiguousNumberError` when no format is declared and the two formats read the
    text differently, :class:`NumberError` when it is not a number or does not fit the declared one.
    """
    loc = locale_of(decimal, thousands)
    plain = _plain(str(text).strip(_SPACES + "\t\r\n"), loc)
    if plain is not None:  # the fast path: a 10,000-row export is mostly plain numbers
        return ParsedNumber(plain, False, None)
    parts = _split(str(text))
    if parts is None:
        raise NumberError("not a number", value=str(text), expected="a number such as 1250, 1,250.50 or 1.250,50", **where)
    core, exp, negative, percent, currency = parts
    readings = {cand: _read_core(core, cand, exp) for cand in (EN, DE)}
    if loc is not None:
        value = _read_core(core, loc, exp)
        if value is None:
            other = [f"{_fmt(v)} with {_locale_text(c)}" for c, v in readings.items() if v is not None and c != loc]
            hint = f"; it would read as {other[0]}" if other else ""
            raise NumberError(f"does not fit the declared number format (decimal '{loc.decimal}', "
                              f"thousands '{loc.thousands}'){hint}", value=str(text),
                              expected=f"numbers written like {format_number(Decimal('1234567.89'), loc)}", **where)
    else:
        found = {c: v for c, v in readings.items() if v is not None}
        if not found:
            raise NumberError("not a number (its separators fit no number format)", value=str(text),
                              expected="a number such as 1250, 1,250.50 or 1.250,50", **where)
        values = set(found.values())
        if len(values) > 1:
            sep = "." if "." in core else ","
            as_thousands, as_decimal = (found[DE], found[EN]) if sep == "." else (found[EN], found[DE])
            loc_t, loc_d = (DE, EN) if sep == "." else (EN, DE)
            raise AmbiguousNumberError(
                f"ambiguous number: {core} could be {_fmt(as_thousands)} (thousands '{sep}') or "
                f"{_fmt(as_decimal)} (decimal '{sep}'), and nothing else in the column decides",
                value=str(text), readings=dict(found),
                expected=f"the number format declared in the profile: {_locale_text(loc_t)} if it is "
                         f"{_fmt(as_thousands)}, {_locale_text(loc_d)} if it is {_fmt(as_decimal)}", **where)
        value = values.pop()
    return ParsedNumber(-value if negative else value, percent, currency)


def parse_number(text: str, decimal: str | None = None, thousands: str | None = None, **where: Any) -> float:
    """``text`` as a float, a written percent sign applied (``"60 %"`` -> 0.6); see :func:`read_number`."""
    return read_number(text, decimal, thousands, **where).number


def detect_locale(values: Iterable[Any], **where: Any) -> NumberLocale | None:
    """The number format the text values of a column agree on, or None when nothing decides.

    A value decides when only one of the formats fits it (``1,250.50``, ``8.5``, ``1.250.000``);
    values that fit both the same way (``120``) or no format (text) say nothing. None means
    undecided: values such as ``8.500`` then stay ambiguous. Values deciding for both formats raise
    :class:`NumberError` naming one of each.
    """
    evidence: dict[NumberLocale, str] = {}
    for v in dict.fromkeys(v for v in values if isinstance(v, str)):  # each text once, in first-seen order
        m = _PLAIN.fullmatch(v.strip(_SPACES + "\t\r\n"))
        if m is not None and (m[2] is None or len(m[2]) != 3):  # digits say nothing; 'd.dd' says '.'
            if m[2] is not None:
                evidence.setdefault(EN, v)
            continue
        parts = _split(v)
        if parts is None:
            continue
        core, exp = parts[0], parts[1]
        fits = [c for c in (EN, DE) if _read_core(core, c, exp) is not None]
        if len(fits) == 1:
            evidence.setdefault(fits[0], v)
    if len(evidence) == 2:
        raise NumberError(f"mixed number formats in one column: {evidence[EN]!r} has decimal '.' but "
                          f"{evidence[DE]!r} has decimal ','", value=evidence[DE],
                          expected="one number format per column, or the format declared in the profile", **where)
    return next(iter(evidence), None)


def format_number(value: Decimal | float, loc: NumberLocale, places: int = 2) -> str:
    """``value`` written in ``loc`` with ``places`` decimals (for messages and tests)."""
    text = f"{Decimal(str(value)):,.{places}f}" if places else f"{Decimal(str(value)):,.0f}"
    return text.replace(",", "\0").replace(".", loc.decimal).replace("\0", loc.thousands)
