"""Screening latency per case: every product approved for the case's indication, against every criterion.

The five sample cases, then generated (fictional) variants of them across every indication: ages around
the label limits, ECOG 0-4, 0-5 prior lines, typed prior therapies (some unknown to the dictionary) and
fields left unknown at random. The case editor screens on every change, so one case must take <= 5 ms.

    .venv/bin/python benchmarks/bench_screening.py [--variants 600] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary

from planning.case import Case, parse_case
from planning.drugs import dictionary
from planning.eligibility import screen
from planning.knowledge.pack import load_pack
from resources import locate

TODAY = date(2026, 12, 3)
TARGET_MS = 5.0
THERAPY_TEXTS = [
    "VRd",
    "daratumumab + pomalidomide",
    "Velcade",
    "Darzalex",
    "ASCT",
    "R-CHOP",
    "r chop",
    "R-ICE",
    "BR",
    "ibrutinib",
    "Brukinsa",
    "2 cycles of blinatumomab",
    "Kymriah",
    "CAR-T",
    "Hyper-CVAD",
    "FOLFOX",
    "paclitaxel",
    "selinexor",
    "Lénalidomide maintenance",
    "Kd + venetoclax",
]
FIELDS = [
    "ecog",
    "disease_status",
    "prior_lines",
    "prior_therapies",
    "cns_involvement",
    "active_infection",
    "hiv_hbv_hcv_active",
    "prior_allo_sct",
    "pregnant",
    "creatinine_clearance_ml_min",
    "lvef_percent",
    "alt_x_uln",
    "bilirubin_x_uln",
    "spo2_percent",
    "relapse_count",
    "months_to_progression",
    "transplant_eligible",
    "refractory_to",
    "biomarkers",
    "karnofsky_lansky",
]


def sample_documents() -> list[dict]:
    return json.loads(locate("samples", "sample_cases.json").read_text("utf-8"))


def variants(base: list[dict], approved: list[str], other: list[str], count: int, seed: int = 20261126) -> list[dict]:
    """``count`` fictional variants of the sample cases, reproducible from ``seed``.

    Mostly indications with approved products (the heavier screenings); values mostly within the
    criteria, with boundary and out-of-range values and unknowns mixed in.
    """
    rng = random.Random(seed)

    def value(good: list, bad: list) -> object:
        return rng.choice(good) if rng.random() < 0.85 else rng.choice(bad)

    made = []
    for index in range(count):
        document = json.loads(json.dumps(base[index % len(base)]))
        patient, clinical = document["patient"], document["clinical"]
        clinical["indication"] = rng.choice(approved) if rng.random() < 0.85 else rng.choice(other)
        age = rng.choice([5, 17, 18, 22, 25, 26, 40, 58, 71, 84])
        patient["date_of_birth"] = f"{TODAY.year - age}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        patient["sex"] = rng.choice(["female", "male", "male", "unknown"])
        clinical.update(
            ecog=value([0, 1, 1, 2], [3, 4]),
            disease_status=value(["relapsed", "refractory"], ["remission", "newly_diagnosed", "unknown"]),
            prior_lines=value([1, 2, 3, 4], [0, 5]),
            prior_therapies=rng.sample(THERAPY_TEXTS, rng.randint(0, 4)),
            cns_involvement=rng.random() < 0.05,
            active_infection=rng.random() < 0.05,
            hiv_hbv_hcv_active=rng.random() < 0.03,
            prior_allo_sct=rng.random() < 0.15,
            pregnant=False,
            creatinine_clearance_ml_min=value([60, 75, 110], [45, 59]),
            lvef_percent=value([50, 62], [40, 49]),
            alt_x_uln=value([0.8, 1.2, 2.5], [2.6, 4.0]),
            bilirubin_x_uln=value([0.5, 1.0, 1.5], [1.6, 3.0]),
            spo2_percent=value([93, 96, 98], [90, 92]),
            relapse_count=value([1, 2, 3], [0]),
            months_to_progression=value([3, 8, 12, 24], [13, 25, 40]),
            transplant_eligible=rng.choice([True, False]),
            refractory_to=rng.sample(["lenalidomide", "bortezomib", "daratumumab", "R-CHOP"], rng.randint(0, 2)),
            biomarkers={"cldn18_2": value(["positive"], ["negative"]), "her2": value(["negative"], ["positive"])},
            karnofsky_lansky=value([60, 80, 100], [40, 50]),
        )
        for field in rng.sample(FIELDS, rng.choice([0, 0, 0, 1, 1, 2, 4])):
            clinical[field] = None  # unknown
        made.append(document)
    return made


def timed(cases: list[Case], pack, rounds: int, with_json: bool) -> list[float]:
    """Per case: the median of ``rounds`` screenings, in milliseconds."""
    per_case = []
    for case in cases:
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            result = screen(case, pack, today=TODAY)
            if with_json:
                result.to_json()
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        per_case.append(samples[len(samples) // 2])
    return per_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    pack = load_pack()
    codes = sorted(i.code for i in pack.indications)
    approved = sorted({a.indication for t in pack.therapies for a in t.approvals})
    base = sample_documents()
    documents = base + variants(base, approved, [c for c in codes if c not in approved], args.variants)
    cases = [parse_case(d, set(codes), today=TODAY) for d in documents]

    start = time.perf_counter()
    dictionary(pack)  # the drug dictionary is built once per pack, on the first screening
    first_ms = (time.perf_counter() - start) * 1000

    samples_ms = timed(cases[: len(base)], pack, args.rounds, with_json=False)
    all_ms = timed(cases, pack, args.rounds, with_json=False)
    json_ms = timed(cases, pack, args.rounds, with_json=True)
    verdicts: dict[str, int] = {}
    for case in cases:
        overall = screen(case, pack, today=TODAY).overall
        verdicts[overall] = verdicts.get(overall, 0) + 1

    record = {
        "cases": len(cases),
        "indications": len(codes),
        "rounds_per_case": args.rounds,
        "dictionary_build_ms": round(first_ms, 2),
        "sample_cases": summary(samples_ms),
        "screen": summary(all_ms),
        "screen_and_json": summary(json_ms),
        "overall_verdicts": dict(sorted(verdicts.items())),
        "target": f"<= {TARGET_MS:g} ms per case",
    }
    path = save("screening", record)
    print(f"{len(cases)} cases ({len(base)} samples + {args.variants} variants, {len(codes)} indications)")
    print(f"drug dictionary built once: {record['dictionary_build_ms']} ms")
    for label, key in (("sample cases", "sample_cases"), ("screen", "screen"), ("screen + JSON", "screen_and_json")):
        r = record[key]
        print(f"{label}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms (n={r['n']})")
    print(f"overall verdicts: {record['overall_verdicts']}")
    worst = record["screen_and_json"]["max_ms"]
    print(f"target {record['target']}: {'met' if worst <= TARGET_MS else 'NOT MET'} (worst case {worst} ms)")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
