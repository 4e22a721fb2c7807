"""`careplan estimate` prices flights from the patient's home region, as the desktop does (one use case), and
with the fare the coordinator changed in the knowledge store."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

from services.stores import open_knowledge
from tests.cli.test_cli_estimate import careplan


def case_from(tmp_path: Path, nationality: str) -> Path:
    """The first sample case (lymphoma, one companion, EUR) as a patient of ``nationality`` going to China."""
    documents = json.loads((resources.files("resources") / "samples" / "sample_cases.json").read_text("utf-8"))
    document = documents[0]
    document["patient"]["nationality"] = nationality
    document["preferences"].update(destinations=["CN"], currency="USD", companions=0)
    path = tmp_path / f"case-{nationality}.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def flights(data_dir: Path, case: Path) -> dict:
    result = careplan(data_dir, "estimate", str(case), "--json")
    assert result.returncode == 0, result.stderr
    (option, *_rest) = [o for o in json.loads(result.stdout)["options"] if o["available"]]
    return next(i for i in option["items"] if i["label"].startswith("Return flights"))


def test_flights_to_china_from_spain_and_from_mexico(data_dir: Path, tmp_path: Path) -> None:
    spain, mexico = flights(data_dir, case_from(tmp_path, "ES")), flights(data_dir, case_from(tmp_path, "MX"))
    assert spain["label"] == "Return flights for 1 person from Southern Europe" and spain["estimate"] is True
    assert mexico["label"] == "Return flights for 1 person from Central America"
    assert Decimal(spain["high"]) < Decimal(mexico["high"])
    table = careplan(data_dir, "estimate", str(case_from(tmp_path, "ES")))
    assert "Return flights for 1 person from Southern Europe" in table.stdout and "(estimate)" in table.stdout


def test_the_coordinators_fare_for_the_band_counts(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    store = open_knowledge(data_dir)
    try:
        store.set_cost("CN", "flight_return_long_haul", "950", "990")
    finally:
        store.close()
    spain = flights(data_dir, case_from(tmp_path, "ES"))
    assert (Decimal(spain["low"]), Decimal(spain["high"])) == (Decimal(950), Decimal(990))
    assert "changed by the coordinator" in spain["basis"]
    mexico = flights(data_dir, case_from(tmp_path, "MX"))  # another band: unchanged
    assert Decimal(mexico["high"]) != Decimal(990)
