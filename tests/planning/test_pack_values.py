"""A pack that passes validation can be used: the values screening, the estimate and the plan rely on are
checked (a criterion's value fits its field and operator, amounts and spans within bounds with low <= high,
rates more than 0, every currency converts, every date exists), and a pack is read only from its own
files (a zip names each file once; a folder's links never lead out; a size limit either way).

The property test mutates the bundled pack within what its JSON Schema allows: whatever validates screens,
estimates and builds a plan for every sample case without an exception.
"""

from __future__ import annotations

import copy
import json
import os
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.case import parse_case
from planning.eligibility import screen
from planning.estimate import estimate
from planning.knowledge import pack as pack_module
from planning.knowledge import parse
from planning.knowledge.pack import (
    PackError,
    PackProblem,
    bundled_pack_dir,
    load_pack,
    read_documents,
    validate_documents,
)
from planning.plan import build_plan
from tests.conftest import edit_json, zip_pack

SAMPLES = json.loads((Path(__file__).resolve().parents[2] / "resources/samples/sample_cases.json").read_text("utf-8"))
TODAY = date(2026, 12, 10)


def problems_of(location: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(location)
    return [str(p) for p in caught.value.problems]


def first_condition(document: list, field: str, operator: str) -> dict[str, Any]:
    for record in document:
        for condition in [record["condition"]] if "condition" in record else record["any_of"]:
            if condition["field"] == field and condition["operator"] == operator:
                return condition
    raise AssertionError(f"no {field} {operator} condition")


# --- one rule at a time, on the frozen fixture pack ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "operator", "change", "message"),
    [
        ("clinical.ecog", "<=", {"value": "1"}, "condition.value: must be a number from 0 to 4 for clinical.ecog"),
        ("clinical.ecog", "<=", {"value": True}, "condition.value: must be a number from 0 to 4 for clinical.ecog"),
        ("clinical.ecog", "<=", {"value": 1e308}, "condition.value: must be a number from 0 to 4 for clinical.ecog"),
        (
            "clinical.ecog",
            "<=",
            {"operator": "includes_any"},
            "condition.operator: clinical.ecog is a number: compare it, or use in or not_in",
        ),
        ("clinical.ecog", "<=", {"operator": "in", "value": 2}, "condition.value: in needs a list of values"),
        ("clinical.pregnant", "is_true", {"value": 1}, "condition.value: is_true takes no value"),
        (
            "clinical.pregnant",
            "is_true",
            {"operator": ">="},
            "condition.operator: clinical.pregnant is true or false: use is_true, is_false, == or !=",
        ),
        (
            "clinical.disease_status",
            "in",
            {"value": ["relapsed", "cured"]},
            'condition.value: unknown code "cured" for clinical.disease_status',
        ),
        ("clinical.disease_status", "in", {"value": "relapsed"}, "condition.value: in needs a list of values"),
        (
            "prior_therapy_classes",
            "includes_any",
            {"value": ["no_such_class"]},
            "condition.value: unknown drug class 'no_such_class'",
        ),
        (
            "prior_therapy_classes",
            "includes_any",
            {"operator": "<"},
            "condition.operator: prior_therapy_classes is a set of drug classes: "
            "use includes_all, includes_any or excludes_any",
        ),
    ],
)
def test_a_criterion_value_must_fit_its_field_and_operator(
    fixture_pack_copy: Path, field: str, operator: str, change: dict, message: str
) -> None:
    edit_json(fixture_pack_copy / "criteria.json", lambda d: first_condition(d, field, operator).update(change))
    (problem,) = problems_of(fixture_pack_copy)
    assert problem.startswith("criteria.json: record #") and problem.endswith(message)


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "rates.json",
            lambda d: d[0].update(rate="0"),
            "rates.json: record #1 'EUR/USD': rate: a rate must be more than 0, from 0.000001 to 1,000,000",
        ),
        (
            "rates.json",
            lambda d: d[0].update(rate="0.0000000001"),
            "rates.json: record #1 'EUR/USD': rate: a rate must be more than 0, from 0.000001 to 1,000,000",
        ),
        (
            "rates.json",
            lambda d: d[0].update(as_of="2026-02-30"),
            "rates.json: record #1 'EUR/USD': as_of: no such day: 2026-02-30",
        ),
        (
            "destinations.json",
            lambda d: d[0]["overview"]["hospital_stay_weeks"].update(high=1e308),
            "destinations.json: record #1 'CN': overview.hospital_stay_weeks.high: must be at most 520",
        ),
        (
            "destinations.json",
            lambda d: d[0]["overview"]["waiting_months"].update(low=7, high=2),
            "destinations.json: record #1 'CN': overview.waiting_months: low is more than high (7 > 2)",
        ),
        (
            "destinations.json",
            lambda d: d[0]["overview"].update(package_cost_usd="1" + "0" * 400),
            "destinations.json: record #1 'CN': overview.package_cost_usd: must be at most 1,000,000,000",
        ),
        (
            "destinations.json",
            lambda d: d[1]["list_prices"][0].update(amount="500000", amount_high="400000"),
            "destinations.json: record #2 'US': list_prices[0].amount_high: is less than amount (400000 < 500000)",
        ),
        (
            "destinations.json",
            lambda d: d[1]["list_prices"][0].update(currency="JPY"),
            "destinations.json: record #2 'US': list_prices[0].currency: "
            "no exchange rate connects JPY to USD (add one to rates.json)",
        ),
        (
            "cost_defaults.json",
            lambda d: d[0].update(low="900", high="1"),
            "cost_defaults.json: record #1 'US/hospital_non_drug': low: low is more than high (900 > 1)",
        ),
        (
            "cost_defaults.json",
            lambda d: d[0].update(currency="-"),
            "cost_defaults.json: record #1 'US/hospital_non_drug': currency: an amount of money needs a currency",
        ),
        (
            "cost_defaults.json",
            lambda d: d[0].update(currency="QQQ"),
            "cost_defaults.json: record #1 'US/hospital_non_drug': currency: unknown currency code QQQ",
        ),
        (
            "therapies.json",
            lambda d: d[0]["approvals"][0].update(age_min=30, age_max=25),
            "therapies.json: record #1 'tisagenlecleucel': approvals[0].age_min: is more than age_max (30 > 25)",
        ),
        (
            "sources.json",
            lambda d: d[0].update(date="2024-04-31"),
            "no such day: 2024-04-31",
        ),
    ],
    ids=[
        "rate 0",
        "rate tiny",
        "no such day",
        "span of 1e308",
        "span inverted",
        "amount of 400 digits",
        "price high below low",
        "price currency without a rate",
        "cost inverted",
        "money without currency",
        "unknown currency",
        "ages inverted",
        "source date",
    ],
)
def test_values_the_app_relies_on_are_checked(fixture_pack_copy: Path, file: str, change, expected: str) -> None:
    edit_json(fixture_pack_copy / file, change)
    problems = problems_of(fixture_pack_copy)
    assert len(problems) == 1 and problems[0].endswith(expected), problems


def test_counts_are_no_money(fixture_pack_copy: Path) -> None:
    def change(document: list) -> None:
        days = next(c for c in document if c["item"] == "evaluation_days")
        days.update(currency="EUR", high="99999")

    edit_json(fixture_pack_copy / "cost_defaults.json", change)
    problems = problems_of(fixture_pack_copy)
    assert any(p.endswith('currency: a count, not money: the currency must be "-"') for p in problems)
    assert any(p.endswith("high: must be at most 3650") for p in problems)


def test_nan_and_repeated_keys_are_not_json(fixture_pack_copy: Path) -> None:
    text = (fixture_pack_copy / "destinations.json").read_text("utf-8")
    (fixture_pack_copy / "destinations.json").write_text(text.replace('"high": 4', '"high": NaN', 1), "utf-8")
    (fixture_pack_copy / "faqs.json").write_text('[{"id": "a", "id": "b"}]', "utf-8")
    problems = problems_of(fixture_pack_copy)
    assert "destinations.json: not valid JSON (NaN is not a JSON number)" in problems
    assert 'faqs.json: not valid JSON (the key "id" appears twice in one object)' in problems


# --- reading only the pack's own files ------------------------------------------------------------


def test_a_zip_with_one_name_in_two_folders_is_refused(fixture_pack_copy: Path, tmp_path: Path) -> None:
    archive = zip_pack(fixture_pack_copy, tmp_path / "pack.zip", folder="pack-a")
    with zipfile.ZipFile(archive, "a") as extra:
        extra.writestr("pack-b/rates.json", "[]")
    (problem,) = problems_of(archive)
    assert problem == (
        "pack.zip: holds rates.json twice (pack-a/rates.json and pack-b/rates.json); a pack has each file once"
    )


def test_a_zip_with_backslash_folders_counts_bare_names(fixture_pack_copy: Path, tmp_path: Path) -> None:
    archive = zip_pack(fixture_pack_copy, tmp_path / "pack.zip")
    with zipfile.ZipFile(archive, "a") as extra:
        extra.writestr("other\\faqs.json", "[]")
    (problem,) = problems_of(archive)
    assert "holds faqs.json twice" in problem


def test_a_link_out_of_the_pack_folder_is_never_followed(fixture_pack_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text((fixture_pack_copy / "faqs.json").read_text("utf-8"), "utf-8")
    (fixture_pack_copy / "faqs.json").unlink()
    os.symlink(outside, fixture_pack_copy / "faqs.json")
    (problem,) = problems_of(fixture_pack_copy)
    assert problem == "faqs.json: is a link to a file outside the pack folder; a pack's files are inside it"


def test_a_link_inside_the_pack_folder_is_fine(fixture_pack_copy: Path) -> None:
    (fixture_pack_copy / "faqs-2026.json").write_bytes((fixture_pack_copy / "faqs.json").read_bytes())
    (fixture_pack_copy / "faqs.json").unlink()
    os.symlink("faqs-2026.json", fixture_pack_copy / "faqs.json")
    assert load_pack(fixture_pack_copy).faqs


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_special_files_and_dangling_links_are_refused(fixture_pack_copy: Path) -> None:
    (fixture_pack_copy / "faqs.json").unlink()
    os.mkfifo(fixture_pack_copy / "faqs.json")  # reading it would wait forever
    (problem,) = problems_of(fixture_pack_copy)
    assert problem == "faqs.json: not a regular file"
    (fixture_pack_copy / "faqs.json").unlink()
    os.symlink("nowhere.json", fixture_pack_copy / "faqs.json")
    (problem,) = problems_of(fixture_pack_copy)
    assert problem == "faqs.json: is a link that leads nowhere"


def test_a_folder_pack_is_size_limited(fixture_pack_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    total = sum(p.stat().st_size for p in fixture_pack_copy.glob("*.json"))
    monkeypatch.setattr(pack_module, "MAX_PACK_BYTES", total - 1)
    problems = problems_of(fixture_pack_copy)
    assert len(problems) == 1 and problems[0].endswith(": too large to be a knowledge pack")
    monkeypatch.setattr(pack_module, "MAX_PACK_BYTES", total)
    assert load_pack(fixture_pack_copy)


# --- the property: a pack that validates can be used ----------------------------------------------

BUNDLED = read_documents(bundled_pack_dir())
DAY = st.from_regex(r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?", fullmatch=True)
SANE_AMOUNT = st.from_regex(r"[1-9][0-9]{0,5}(\.[0-9]{1,2})?", fullmatch=True)
AMOUNT = st.one_of(  # mostly sane (the pack then validates and is used), sometimes wild (then refused)
    SANE_AMOUNT,
    SANE_AMOUNT,
    st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,2})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,40}(\.[0-9]{1,30})?", fullmatch=True),
    st.sampled_from(["0", "0.000", "1000000000", "1000000000.01", "0.000001", "1000000"]),
)
NUMBER = st.one_of(
    st.integers(0, 60),
    st.integers(0, 60),
    st.floats(0, 1e308, allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 5e-324, 1e308, 10**30]),
)
CODES = st.sampled_from(["relapsed", "refractory", "remission", "dlbcl", "cd19_directed", "bcma_directed", "x"])
CONDITION_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    CODES,
    st.lists(st.one_of(st.integers(-5, 120), st.floats(0, 100), CODES, st.booleans()), max_size=3),
)
FIELDS = st.sampled_from(
    [
        "age_years",
        "clinical.ecog",
        "clinical.karnofsky_lansky",
        "performance_poor",
        "refractory_classes",
        "clinical.relapse_count",
        "clinical.months_to_progression",
        "clinical.transplant_eligible",
        "clinical.subtype",
        "clinical.prior_lines",
        "clinical.disease_status",
        "clinical.pregnant",
        "clinical.spo2_percent",
        "prior_therapy_classes",
    ]
)
OPERATORS = st.sampled_from(
    [
        "<=",
        ">=",
        "<",
        ">",
        "==",
        "!=",
        "in",
        "not_in",
        "includes_all",
        "includes_any",
        "excludes_any",
        "is_true",
        "is_false",
    ]
)
CURRENCIES = st.sampled_from(["USD", "EUR", "GBP", "CNY", "KZT", "JPY", "XXX", "QQQ"])


def _pick(data: st.DataObject, items: list) -> Any:
    return items[data.draw(st.integers(0, len(items) - 1))]


def mutate_condition(documents: dict, data: st.DataObject) -> None:
    record = _pick(data, documents["criteria"])
    condition = record["condition"] if "condition" in record else _pick(data, record["any_of"])
    key = data.draw(st.sampled_from(["field", "operator", "value", "all"]))
    if key in ("field", "all"):
        condition["field"] = data.draw(FIELDS)
    if key in ("operator", "all"):
        condition["operator"] = data.draw(OPERATORS)
    if key in ("value", "all"):
        condition["value"] = data.draw(CONDITION_VALUE)
    elif key == "operator" and condition["operator"] in ("in", "not_in") and not isinstance(condition["value"], list):
        condition["value"] = [condition["value"]]  # often still valid: the pack is then used, not refused


def mutate_rate(documents: dict, data: st.DataObject) -> None:
    record = _pick(data, documents["rates"])
    key = data.draw(st.sampled_from(["rate", "as_of", "base"]))
    record[key] = data.draw({"rate": AMOUNT, "as_of": DAY, "base": CURRENCIES}[key])


def mutate_cost(documents: dict, data: st.DataObject) -> None:
    record = _pick(data, documents["cost_defaults"])
    key = data.draw(st.sampled_from(["low", "high", "currency"]))
    record[key] = data.draw(st.one_of(CURRENCIES, st.just("-")) if key == "currency" else AMOUNT)


def mutate_destination(documents: dict, data: st.DataObject) -> None:
    record = _pick(data, documents["destinations"])
    where = data.draw(st.sampled_from(["package", "span", "price", "days"]))
    if where == "package":
        record["overview"]["package_cost_usd"] = data.draw(AMOUNT)
    elif where == "span":
        span = record["overview"][data.draw(st.sampled_from(["hospital_stay_weeks", "waiting_months"]))]
        span[data.draw(st.sampled_from(["low", "high"]))] = data.draw(NUMBER)
    elif where == "price" and record["list_prices"]:
        price = _pick(data, record["list_prices"])
        key = data.draw(st.sampled_from(["amount", "amount_high", "currency"]))
        price[key] = data.draw(CURRENCIES if key == "currency" else AMOUNT)
    elif record["logistics"]:
        note = _pick(data, record["logistics"])
        note["days"] = {"low": data.draw(NUMBER), "high": data.draw(NUMBER)}


def mutate_therapy(documents: dict, data: st.DataObject) -> None:
    therapy = _pick(data, documents["therapies"])
    approval = _pick(data, therapy["approvals"])
    key = data.draw(st.sampled_from(["age_min", "age_max", "min_prior_lines", "date", "as_of", "days"]))
    if key in ("date", "as_of"):
        approval[key] = data.draw(DAY)
    elif key == "days" and therapy.get("logistics"):
        _pick(data, therapy["logistics"])["days"] = {"low": data.draw(NUMBER), "high": data.draw(NUMBER)}
    elif key != "days":
        approval[key] = data.draw(st.one_of(st.none(), st.integers(0, 40), st.integers(0, 10**12)))


def mutate_source(documents: dict, data: st.DataObject) -> None:
    _pick(data, documents["sources"])["date"] = data.draw(DAY)


MUTATIONS = [mutate_condition, mutate_rate, mutate_cost, mutate_destination, mutate_therapy, mutate_source]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(st.data())
def test_a_pack_that_validates_serves_every_sample_case(data: st.DataObject) -> None:
    documents = copy.deepcopy(BUNDLED)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        data.draw(st.sampled_from(MUTATIONS), label="mutation")(documents, data)
    problems = validate_documents(documents)
    if problems:  # refused: each problem names its file and says what is wrong
        assert all(isinstance(p, PackProblem) and p.file.endswith(".json") and p.message for p in problems)
        return
    pack = parse.pack(documents)
    codes = {i.code: [s.code for s in i.subtypes] for i in pack.indications}
    for sample in SAMPLES:
        case = parse_case(sample, codes, TODAY)
        screening = screen(case, pack, TODAY)
        result = estimate(case, pack, today=TODAY, screening=screening)
        for option in result.options:
            assert option.total_low <= option.total_high
        build_plan(case, pack, "CP-2026-00001", "en", today=TODAY, estimated=result)


def test_the_bundled_pack_serves_every_sample_case_unchanged() -> None:
    """The property's starting point: the bundled pack itself validates (else the test proves nothing)."""
    assert validate_documents(BUNDLED) == []
