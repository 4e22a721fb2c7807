"""Save one case over and over, printing each number after its commit; then wait to be killed.

Used by test_crash_safety.py: python burst_child.py CASES_DB
"""

from __future__ import annotations

import itertools
import sys

from db.case_store import CaseStore
from planning.case import empty_document

store = CaseStore.open(sys.argv[1], {"lbcl"})
document = empty_document()
document["patient"]["full_name"] = "Burst Writer"
case = store.create(document, "burst")
print("case", case.id, flush=True)
for number in itertools.count():
    document["clinical"]["notes"] = f"note {number} " + "x" * 2000
    store.save_document(case.id, document, "burst")
    print(number, flush=True)  # only after the commit has returned
