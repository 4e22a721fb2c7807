"""Cost estimate latency: one estimate for four destinations (CN, US, GB, DE), as the Estimate tab and
`careplan estimate` compute it while the coordinator types.

Cases: the bundled sample cases and generated variants of them (every indication, the patient
currencies of FACTS.md, 0-10 companions, budgets, nationalities), parsed once; only ``estimate()`` is
timed, and separately ``to_json()`` of its result.

    .venv/bin/python benchmarks/bench_estimate.py [--rounds 20] [--variants 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save, summary

COUNTRIES = ["CN", "US", "GB", "DE"]
CURRENCIES = ["USD", "EUR", "CNY", "RUB", "SAR", "AED", "GBP", "MXN", "NGN", "INR", "TRY", "BRL", "KZT"]
TARGET_MS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="times each case is estimated")
    parser.add_argument("--variants", type=int, default=200, help="generated variants of the sample cases")
    args = parser.parse_args()

    from planning.case import parse_case
    from planning.estimate import estimate
    from planning.knowledge.pack import bundled_pack_dir, load_pack

    pack = load_pack()
    codes = [i.code for i in pack.indications]
    samples = json.loads((bundled_pack_dir().parent / "samples" / "sample_cases.json").read_text("utf-8"))
    documents = list(samples)
    rng = random.Random(2026)
    for number in range(args.variants):
        document = json.loads(json.dumps(samples[number % len(samples)]))
        document["clinical"]["indication"] = rng.choice([*codes, None])
        document["patient"]["nationality"] = rng.choice([None, *COUNTRIES, "KZ", "SA", "NG", "MX"])
        document["preferences"].update(
            currency=rng.choice(CURRENCIES),
            companions=rng.randint(0, 10),
            budget=rng.choice([None, rng.randint(0, 3_000_000), f"{rng.randint(0, 10**8)}.{rng.randint(0, 99):02d}"]),
        )
        documents.append(document)
    cases = [parse_case(document, codes) for document in documents]

    for case in cases[:20]:  # warm up caches (Babel data, gettext, digits)
        estimate(case, pack, countries=COUNTRIES).to_json()

    estimate_ms: list[float] = []
    sample_ms: list[float] = []
    json_ms: list[float] = []
    options = 0
    for _ in range(args.rounds):
        for number, case in enumerate(cases):
            start = time.perf_counter()
            result = estimate(case, pack, countries=COUNTRIES)
            middle = time.perf_counter()
            result.to_json()
            end = time.perf_counter()
            estimate_ms.append((middle - start) * 1000)
            if number < len(samples):
                sample_ms.append((middle - start) * 1000)
            json_ms.append((end - middle) * 1000)
            options += len(result.options)

    record = {
        "estimate_4_destinations": summary(estimate_ms),
        "sample_cases_only": summary(sample_ms),
        "to_json": summary(json_ms),
        "cases": len(cases),
        "rounds": args.rounds,
        "options_per_estimate": round(options / len(estimate_ms), 2),
        "target": f"<= {TARGET_MS:g} ms per estimate (4 destinations)",
    }
    path = save("estimate", record)
    for label, key in (
        ("estimate, 4 destinations", "estimate_4_destinations"),
        ("  of which the sample cases", "sample_cases_only"),
        ("to_json", "to_json"),
    ):
        r = record[key]
        print(f"{label}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms (n={r['n']})")
    worst = max(record["estimate_4_destinations"]["p95_ms"], record["sample_cases_only"]["p95_ms"])
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    average = record["options_per_estimate"]
    print(f"{len(cases)} cases, {average} options per estimate on average; p95 {verdict} {TARGET_MS:g} ms")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
