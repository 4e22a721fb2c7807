"""A patient's case: typed objects for the case file format (DESIGN.md), with validation.

``parse_case`` reads a case document (JSON-like dict) and returns every problem at once as
(field path, message), e.g. ``clinical.ecog: must be a whole number from 0 to 4``. Absent or null
means "unknown" and stays distinct from "no" (False) and zero.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from planning.i18n import N_, _

FORMAT = "careplan-case"
VERSION = 2
"""The version written. Version 1 files (without the treatment-history facts) are read unchanged."""
READABLE_VERSIONS = (1, 2)

CASE_STATUSES = ("new", "counseling", "plan_sent", "follow_up", "closed")
"""Where a case stands; every case has one (new at first)."""
SEXES = ("female", "male", "other", "unknown")
DISEASE_STATUSES = ("relapsed", "refractory", "newly_diagnosed", "remission", "unknown")
INSURANCE = ("none", "partial", "full", "unknown")
BIOMARKERS = ("cd19", "bcma", "cldn18_2", "her2")
BIOMARKER_RESULTS = ("positive", "negative", "unknown")
MAX_TEXT = 200
MAX_NOTES = 100_000
MAX_ENTRIES = 50
"""Entries a list of a case (prior therapies, refractory to, destinations) may have: no history comes near."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case: the field's path and what is wrong, in plain words.

    ``message`` is English (the command line prints it as it is); ``template`` and ``params`` give the
    same message in the interface language through :meth:`localized`.
    """

    field: str
    message: str
    # dataclasses.field spelled out: the attribute named "field" above shadows it for type checkers
    template: str = dataclasses.field(default="", compare=False)
    params: tuple[tuple[str, Any], ...] = dataclasses.field(default=(), compare=False)

    @classmethod
    def of(cls, field: str, template: str, **params: Any) -> Problem:
        return cls(field, template.format(**params), template, tuple(params.items()))

    def localized(self) -> str:
        if not self.template:
            return _(self.message)
        return _(self.template).format(**dict(self.params))

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class CaseError(ValueError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Patient:
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    nationality: str | None = None
    language: str | None = None
    email: str | None = None
    phone: str | None = None
    home_city: str | None = None


@dataclass(frozen=True)
class Clinical:
    indication: str | None = None
    subtype: str | None = None
    """A code from the pack's subtypes of the indication (lbcl: dlbcl, pmbcl, hgbl, tfl, ...)."""
    diagnosis_text: str | None = None
    disease_status: str | None = None
    """The course of the disease; a response to the latest salvage or bridging therapy does not change it."""
    relapse_count: int | None = None
    months_to_progression: float | None = None
    """Months from the end of the most recent line of therapy to the relapse or progression."""
    transplant_eligible: bool | None = None
    """Judged fit for high-dose chemotherapy and autologous transplant."""
    prior_lines: int | None = None
    prior_therapies: tuple[str, ...] | None = None
    refractory_to: tuple[str, ...] | None = None
    """Therapies the disease progressed on or within 60 days of (the prior_therapies vocabulary)."""
    biomarkers: tuple[tuple[str, str], ...] | None = None
    """(marker, positive|negative) pairs in BIOMARKERS order; "unknown" and absent markers are left out."""
    ecog: int | None = None
    karnofsky_lansky: int | None = None
    """Karnofsky from 16 years, Lansky below (0-100), where ECOG is not used."""
    cns_involvement: bool | None = None
    active_infection: bool | None = None
    hiv_hbv_hcv_active: bool | None = None
    prior_allo_sct: bool | None = None
    pregnant: bool | None = None
    creatinine_clearance_ml_min: float | None = None
    lvef_percent: float | None = None
    alt_x_uln: float | None = None
    bilirubin_x_uln: float | None = None
    spo2_percent: float | None = None
    notes: str | None = None

    def biomarker(self, marker: str) -> str | None:
        """positive, negative or None (unknown) for one of BIOMARKERS."""
        return dict(self.biomarkers or ()).get(marker)


@dataclass(frozen=True)
class Preferences:
    destinations: tuple[str, ...] | None = None
    currency: str | None = None
    budget: Decimal | None = None
    companions: int | None = None
    insurance: str | None = None


@dataclass(frozen=True)
class Coordinator:
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Case:
    reference: str | None = None
    patient: Patient = field(default_factory=Patient)
    clinical: Clinical = field(default_factory=Clinical)
    preferences: Preferences = field(default_factory=Preferences)
    coordinator: Coordinator = field(default_factory=Coordinator)

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``; None when the date of birth is unknown."""
        born = self.patient.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- code lists (Babel) ------------------------------------------------------------------------


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes Babel knows (regions such as 001 or EU excluded)."""
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories  # keys typed str | int | None by Babel; always str here
        if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) and code != "ZZ"
    )


@cache
def currency_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def is_locale(value: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value)
    except (ValueError, UnknownLocaleError):
        return False
    return True


# --- reading and checking ----------------------------------------------------------------------

_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_EMAIL = re.compile(
    rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}}))",
    re.IGNORECASE,
)
"""One address, as a person types it (no display name, no comments, no quoted local part); the domain has
a dot and ends in a top-level domain of letters (or its punycode)."""
_SEVERAL = re.compile(r"[,;\s]")
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a single-line field never holds: C0 and C1 control characters (tab and line breaks too), line and
paragraph separators, and the bidi embeddings, overrides and isolates that make text show in another order
than it is stored (a name that reads differently in a list or terminal)."""
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""What a multi-line field (diagnosis, notes) never holds: control characters other than tab and line breaks."""
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
"""A budget written as text: digits with an optional decimal point (no sign, exponent, "_" or spaces)."""
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,30}$")
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_BUDGET = Decimal("1e18")

Found = str | tuple[str, dict[str, Any]] | None
"""What a text check returns: None when the value is fine, else a message template, optionally with
its parameters."""


class _Reader:
    """Reads one section of a case document, recording a problem for every bad value."""

    def __init__(self, section: str, data: Any, problems: list[Problem], allowed: Collection[str]):
        self.section, self.problems = section, problems
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            problems.append(Problem.of(section, N_("must be an object")))
            data = {}
        self.data = data
        for key in data:
            if key not in allowed:
                problems.append(Problem.of(f"{section}.{key}", N_("unknown field")))

    def problem(self, key: str, template: str, **params: Any) -> None:
        self.problems.append(Problem.of(f"{self.section}.{key}", template, **params))

    def raw(self, key: str) -> Any:
        value = self.data.get(key)
        if isinstance(value, str) and not value.strip():
            return None  # an empty text means "unknown", as null does
        return value

    def text(
        self,
        key: str,
        limit: int = MAX_TEXT,
        check: Callable[[str], Found] | None = None,
        *,
        multiline: bool = False,
    ) -> str | None:
        """The text, stripped; ``multiline`` allows tabs and line breaks inside it (other control
        characters are refused everywhere, and bidi controls in single-line fields)."""
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(key, N_("must be text"))
            return None
        value = value.strip()
        if len(value) > limit:
            self.problem(key, N_("too long ({length} characters; at most {limit})"), length=len(value), limit=limit)
            return None
        if hidden := control_character(value, multiline=multiline):
            self.problem(key, CONTROL_CHARACTER, code=hidden)
            return None
        if check and (found := check(value)):
            params: dict[str, Any]
            template, params = (found, {}) if isinstance(found, str) else found
            self.problem(key, template, **params)
            return None
        return value

    def choice(self, key: str, options: Collection[str]) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if value not in options:
            self.problem(key, N_("must be one of {options}"), options=", ".join(options))
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is None or isinstance(value, bool):
            return value
        self.problem(key, N_("must be true, false or null (unknown)"))
        return None

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value != int(value)
        ):
            self.problem(key, N_("must be a whole number from {low} to {high}"), low=low, high=high)
            return None
        if not low <= value <= high:
            if high - low < 10:
                self.problem(key, N_("must be {low}-{high}"), low=low, high=high)
            else:
                self.problem(key, N_("must be from {low} to {high}"), low=low, high=high)
            return None
        return int(value)

    def number(self, key: str, low: float, high: float, unit: str) -> float | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(key, N_("must be a number"))
            return None
        if not low <= value <= high:
            self.problem(key, N_("must be from {low} to {high} {unit}"), low=f"{low:g}", high=f"{high:g}", unit=unit)
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...] | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, N_("must be a list of texts"))
            return None
        if len(value) > MAX_ENTRIES:
            self.problem(key, N_("too many entries ({count}; at most {limit})"), count=len(value), limit=MAX_ENTRIES)
            return None
        cleaned = tuple(v.strip() for v in value if v.strip())
        if any(len(v) > MAX_TEXT for v in cleaned):
            self.problem(key, N_("an entry is too long (at most {limit} characters)"), limit=MAX_TEXT)
            return None
        for entry in cleaned:
            if found := control_character(entry):
                self.problem(key, CONTROL_CHARACTER, code=found)
                return None
        return cleaned

    def biomarkers(self, key: str) -> tuple[tuple[str, str], ...] | None:
        """{"cd19": "positive", ...}: each marker positive, negative or unknown (an unknown one is left out)."""
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, N_("must be an object of markers ({options})"), options=", ".join(BIOMARKERS))
            return None
        found = {}
        for marker, result in value.items():
            if marker not in BIOMARKERS:
                self.problems.append(Problem.of(f"{self.section}.{key}.{marker}", N_("unknown field")))
            elif result is not None and result not in BIOMARKER_RESULTS:
                self.problems.append(
                    Problem.of(
                        f"{self.section}.{key}.{marker}",
                        N_("must be one of {options}"),
                        options=", ".join(BIOMARKER_RESULTS),
                    )
                )
            elif result in ("positive", "negative"):
                found[marker] = result
        return tuple((m, found[m]) for m in BIOMARKERS if m in found) or None


CONTROL_CHARACTER = N_("contains an invisible control character ({code}); remove it")
NO_RATE = N_("no exchange rate for {code}; add one in Settings")


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character ``text`` may not hold, as "U+000A"; None when it has none.

    A single-line field holds no C0 or C1 control character (tab and line breaks included), no line or
    paragraph separator and no bidi embedding, override or isolate; a multi-line field may hold tabs
    and line breaks."""
    found = (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _email(value: str) -> str | None:
    if _SEVERAL.search(value) and value.count("@") > 1:
        return N_("one e-mail address only")
    found = _EMAIL.fullmatch(value)
    if found is None or len(value) > 254 or len(found["local"]) > 64:
        return N_("not an e-mail address")
    return None


def email_address(value: Any) -> str | None:
    """The e-mail address in a case field as every face uses it (stripped), or None when there is none or
    it is not one valid address: what a draft puts in "To"."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or control_character(value) or _email(value):
        return None
    return value


def _phone(value: str) -> str | None:
    return None if _PHONE.match(value) and sum(c.isdigit() for c in value) >= 5 else N_("not a phone number")


def _date_of_birth(today: date) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not _ISO_DATE.fullmatch(value):
            return N_("must be a date as YYYY-MM-DD")
        try:
            born = date.fromisoformat(value)
        except ValueError:
            return N_("must be a date as YYYY-MM-DD")
        if born > today:
            return N_("in the future")
        try:
            limit = today.replace(year=today.year - 120)
        except ValueError:  # 29 February
            limit = today.replace(year=today.year - 120, day=28)
        if born < limit:
            return N_("more than 120 years ago")
        return None

    return check


def parse_case(
    document: Any,
    indications: Collection[str],
    today: date | None = None,
    *,
    currencies: Collection[str] | None = None,
) -> Case:
    """A :class:`Case` from a case document, or CaseError listing every problem.

    ``indications`` are the codes the knowledge pack knows, or a mapping of each code to its subtype
    codes (then ``clinical.subtype`` is checked against the chosen indication's); ``today`` bounds the
    date of birth; ``currencies`` are those the rate table reaches (None: any ISO 4217 code).
    """
    today = today or date.today()
    problems: list[Problem] = []
    if not isinstance(document, Mapping):
        raise CaseError([Problem.of("", N_("a case must be a JSON object"))])
    top = _Reader(
        "", document, [], {"format", "version", "reference", "patient", "clinical", "preferences", "coordinator"}
    )
    problems.extend(Problem(p.field.lstrip("."), p.message, p.template, p.params) for p in top.problems)
    if document.get("format") not in (None, FORMAT):
        problems.append(Problem("format", f'must be "{FORMAT}"'))
    version = document.get("version")
    if version is not None and (type(version) is not int or version not in READABLE_VERSIONS):
        problems.append(
            Problem("version", f"unsupported version {version!r} (this app reads versions 1 and {VERSION})")
        )
    reference = document.get("reference")
    if isinstance(reference, str) and not reference.strip():
        reference = None
    if reference is not None and (not isinstance(reference, str) or not _REFERENCE.fullmatch(reference)):
        problems.append(Problem("reference", "letters, digits, '.', '_' or '-', at most 64 characters"))
        reference = None

    p = _Reader(
        "patient",
        document.get("patient"),
        problems,
        [f.name for f in fields(Patient)],
    )
    dob = p.text("date_of_birth", 10, _date_of_birth(today))

    def known_country(value: str) -> Found:
        return None if value.upper() in country_codes() else (N_("unknown country code {code}"), {"code": value})

    def known_locale(value: str) -> Found:
        return None if is_locale(value) else (N_("unknown language code {code}"), {"code": value})

    nationality = p.text("nationality", 2, known_country)
    patient = Patient(
        full_name=p.text("full_name"),
        date_of_birth=date.fromisoformat(dob) if dob else None,
        sex=p.choice("sex", SEXES),
        nationality=nationality.upper() if nationality else None,
        language=p.text("language", 20, known_locale),
        email=p.text("email", MAX_TEXT, _email),
        phone=p.text("phone", 40, _phone),
        home_city=p.text("home_city"),
    )

    c = _Reader("clinical", document.get("clinical"), problems, [f.name for f in fields(Clinical)])

    def known_indication(value: str) -> Found:
        return None if value in indications else (N_("unknown code {code}"), {"code": value})

    indication = c.text("indication", 40, known_indication)

    def known_subtype(value: str) -> Found:
        if isinstance(indications, Mapping) and indication is not None:
            known = indications.get(indication) or ()
            if value not in known:
                if not known:
                    return (N_("the indication {code} has no subtypes"), {"code": indication})
                return (N_("must be one of {options}"), {"options": ", ".join(known)})
        elif not re.fullmatch(r"[a-z0-9_]{1,40}", value):
            return (N_("unknown code {code}"), {"code": value})
        return None

    clinical = Clinical(
        indication=indication,
        subtype=c.text("subtype", 40, known_subtype),
        diagnosis_text=c.text("diagnosis_text", 2000, multiline=True),
        disease_status=c.choice("disease_status", DISEASE_STATUSES),
        relapse_count=c.integer("relapse_count", 0, 30),
        months_to_progression=c.number("months_to_progression", 0, 600, "months"),
        transplant_eligible=c.boolean("transplant_eligible"),
        prior_lines=c.integer("prior_lines", 0, 30),
        prior_therapies=c.texts("prior_therapies"),
        refractory_to=c.texts("refractory_to"),
        biomarkers=c.biomarkers("biomarkers"),
        ecog=c.integer("ecog", 0, 4),
        karnofsky_lansky=c.integer("karnofsky_lansky", 0, 100),
        cns_involvement=c.boolean("cns_involvement"),
        active_infection=c.boolean("active_infection"),
        hiv_hbv_hcv_active=c.boolean("hiv_hbv_hcv_active"),
        prior_allo_sct=c.boolean("prior_allo_sct"),
        pregnant=c.boolean("pregnant"),
        creatinine_clearance_ml_min=c.number("creatinine_clearance_ml_min", 0, 300, "mL/min"),
        lvef_percent=c.number("lvef_percent", 5, 90, "%"),
        alt_x_uln=c.number("alt_x_uln", 0, 100, "x ULN"),
        bilirubin_x_uln=c.number("bilirubin_x_uln", 0, 100, "x ULN"),
        spo2_percent=c.number("spo2_percent", 50, 100, "%"),
        notes=c.text("notes", MAX_NOTES, multiline=True),
    )

    r = _Reader("preferences", document.get("preferences"), problems, [f.name for f in fields(Preferences)])
    destinations = r.texts("destinations")
    if destinations is not None:
        unknown = [d for d in destinations if d.upper() not in country_codes()]
        if unknown:
            r.problem("destinations", N_("unknown country code {code}"), code=", ".join(unknown))
            destinations = None
        else:
            destinations = tuple(dict.fromkeys(d.upper() for d in destinations))

    def known_currency(value: str) -> Found:
        if value.upper() not in currency_codes():
            return (N_("unknown code {code}"), {"code": value})
        if currencies is not None and value.upper() not in currencies:
            return (NO_RATE, {"code": value.upper()})
        return None

    currency = r.text("currency", 3, known_currency)
    budget_raw = r.raw("budget")
    budget, budget_problem = _budget(budget_raw) if budget_raw is not None else (None, None)
    if budget_problem:
        r.problem("budget", budget_problem)
    preferences = Preferences(
        destinations=destinations,
        currency=currency.upper() if currency else None,
        budget=budget,
        companions=r.integer("companions", 0, 10),
        insurance=r.choice("insurance", INSURANCE),
    )

    k = _Reader("coordinator", document.get("coordinator"), problems, [f.name for f in fields(Coordinator)])
    coordinator = Coordinator(name=k.text("name"), email=k.text("email", MAX_TEXT, _email))

    if problems:
        raise CaseError(problems)
    return Case(reference, patient, clinical, preferences, coordinator)


def _budget(value: Any) -> tuple[Decimal | None, str | None]:
    """The budget and None, or None and what is wrong: a JSON number of 0 or more, or text of digits with an
    optional decimal point ("12000.50"; not "1_000", "-0", "1e5" or " 12 000")."""
    if isinstance(value, str):
        value = value.strip()
        if not _AMOUNT.fullmatch(value):
            if re.fullmatch(r"-[0-9]+(?:\.[0-9]+)?", value) and Decimal(value) != 0:
                return None, N_("must be an amount of 0 or more")
            return None, N_("must be an amount written with digits and an optional decimal point, e.g. 12000.50")
        amount = Decimal(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        if value == 0 and math.copysign(1, value) < 0:  # -0.0
            return None, N_("must be an amount written with digits and an optional decimal point, e.g. 12000.50")
        amount = Decimal(str(value))
    else:
        return None, N_("must be an amount of 0 or more")
    if amount < 0 or amount > MAX_BUDGET:
        return None, N_("must be an amount of 0 or more")
    return amount, None


def case_problems(
    document: Any,
    indications: Collection[str],
    today: date | None = None,
    *,
    currencies: Collection[str] | None = None,
) -> list[Problem]:
    """Every problem of a case document; empty when it is valid (the arguments as for :func:`parse_case`)."""
    try:
        parse_case(document, indications, today, currencies=currencies)
    except CaseError as exc:
        return exc.problems
    return []


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        # a JSON number when a float holds it exactly, else a decimal string: never a rounded amount
        return float(value) if Decimal(repr(float(value))) == value else str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def flatten(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf values of a case document by field path: {"patient.full_name": "...", ...}."""
    leaves: dict[str, Any] = {}
    for key, value in document.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            leaves.update(flatten(value, path))
        else:
            leaves[path] = value
    return leaves


def empty_document() -> dict[str, Any]:
    """A new case with every field unknown."""
    return case_to_document(Case())


def case_to_document(case: Case) -> dict[str, Any]:
    """The case file (format ``careplan-case`` version 2), unknowns as null."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "reference": case.reference}
    for section in ("patient", "clinical", "preferences", "coordinator"):
        document[section] = {key: _plain(value) for key, value in asdict(getattr(case, section)).items()}
    markers = dict(case.clinical.biomarkers or ())
    document["clinical"]["biomarkers"] = {m: markers.get(m) for m in BIOMARKERS}
    return document


def parse_case_lenient(
    document: Any,
    indications: Collection[str],
    today: date | None = None,
    *,
    currencies: Collection[str] | None = None,
) -> Case:
    """The case with every invalid value read as unknown: for live screening while a form is being typed."""
    if not isinstance(document, Mapping):
        return Case()
    cleaned = {key: dict(value) if isinstance(value, Mapping) else value for key, value in document.items()}
    for _attempt in range(3):
        try:
            return parse_case(cleaned, indications, today, currencies=currencies)
        except CaseError as exc:
            for problem in exc.problems:
                section, _dot, key = problem.field.partition(".")
                key = key.split(".")[0]  # clinical.biomarkers.cd19: drop the whole biomarkers object
                if key and isinstance(cleaned.get(section), dict):
                    cleaned[section].pop(key, None)
                else:
                    cleaned.pop(section, None)
    return Case()
