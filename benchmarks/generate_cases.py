"""Fill a case database with N generated, clearly fictional cases (for benchmarks and screenshots).

.venv/bin/python benchmarks/generate_cases.py DATA_DIR [--count 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.case_store import CaseStore, name_key, now, search_words
from db.contact_words import contact_texts
from db.paths import cases_db_path
from planning.case import CASE_STATUSES, case_problems, empty_document
from planning.knowledge.pack import load_pack

GIVEN = [
    "Anna",
    "Maria",
    "Olga",
    "Fatima",
    "Li",
    "Wei",
    "Carlos",
    "Lucia",
    "Ivan",
    "Omar",
    "Sofia",
    "Hans",
    "Aisha",
    "Dmitri",
    "Mei",
    "Jose",
    "Elena",
    "Yusuf",
    "Nadia",
    "Pavel",
    "Zhang",
    "Laura",
    "Ahmed",
    "Greta",
    "Tomas",
]
FAMILY = [
    "Ivanova",
    "Garcia",
    "Schmidt",
    "Haddad",
    "Wang",
    "Petrov",
    "Lopez",
    "Chen",
    "Novak",
    "Rahman",
    "Muller",
    "Kuznetsova",
    "Silva",
    "Nasser",
    "Liu",
    "Fischer",
    "Romero",
    "Karimova",
    "Weber",
    "Sato",
    "Ali",
    "Orlov",
]


PHONE_PREFIXES = [34, 49, 7, 86, 44, 33, 971, 20]


def generate(store: CaseStore, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    indications = sorted(store.indications)
    today = date.today()
    rows = []
    for number in range(1, count + 1):
        document = empty_document()
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 80 * 365))
        document["reference"] = f"GEN-{number:06d}"
        document["patient"].update(full_name=name, date_of_birth=born.isoformat(), sex=rng.choice(["female", "male"]))
        if rng.random() < 0.7:  # most have a phone number, written as people write them
            country, mobile = rng.choice(PHONE_PREFIXES), rng.randrange(600, 800)
            digits = f"{rng.randrange(0, 1000):03d} {rng.randrange(0, 1000):03d}"
            document["patient"]["phone"] = rng.choice([f"+{country} {mobile} {digits}", f"00{country}{mobile}{digits}"])
        if rng.random() < 0.6:  # fictional addresses (example.org is reserved for examples)
            document["patient"]["email"] = f"{name_key(name).replace(' ', '.')}{number}@example.org"
        document["clinical"].update(
            indication=rng.choice(indications),
            ecog=rng.randrange(0, 3),
            prior_lines=rng.randrange(0, 5),
            notes=f"Generated case number {number}.",
        )
        stamp = now()
        follow_up = (today + timedelta(days=rng.randrange(-30, 60))).isoformat() if rng.random() < 0.3 else None
        rows.append(
            (
                document["reference"],
                name,
                name_key(name),
                born.isoformat(),
                document["clinical"]["indication"],
                document["clinical"]["notes"],
                search_words(
                    name, document["reference"], document["clinical"]["notes"], *contact_texts(document["patient"])
                ),
                rng.choice(CASE_STATUSES),
                follow_up,
                stamp,
                stamp,
                0,
                len(case_problems(document, store.indications)),
                json.dumps(document),
            )
        )
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO cases (reference, full_name, name_key, date_of_birth, indication, notes, words, status, "
            "follow_up, created_at, updated_at, sample, problems, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    store.db.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    indications = {i.code for i in load_pack().indications}
    store = CaseStore.open(cases_db_path(args.data_dir), indications)
    generate(store, args.count)
    print(f"{args.count} fictional cases in {cases_db_path(args.data_dir)}")


if __name__ == "__main__":
    main()
