"""Prior therapies typed as free text -> the drug classes criteria ask about.

The classifier is tested on the frozen fixture pack's dictionary (tests/fixtures/pack: the 2026.12.1
drug classes and regimens), so adding a name to the shipped dictionary breaks no worked example; every
name in the shipped pack, and in the fixture, must be recognised as its own class and be sourced.
"""

from __future__ import annotations

import pytest

from planning.drugs import Classified, dictionary
from planning.knowledge.models import Pack
from planning.knowledge.pack import load_pack
from tests.fixtures import FIXTURE_PACK_DIR, fixture_pack

PACK = fixture_pack()
"""The frozen fixture pack: the worked classifications below pin its names."""
PI, IMID, CD38, CD20 = "proteasome_inhibitor", "imid", "anti_cd38", "anti_cd20"
CD19, BCMA, CART, BTKI, SCT = "cd19_directed", "bcma_directed", "prior_car_t", "btk_inhibitor", "stem_cell_transplant"
LEN, BCL2, CD22 = "lenalidomide", "bcl2_inhibitor", "cd22_directed"


def classify(*entries: str) -> Classified:
    return dictionary(PACK).classify(entries)


CLASSES = [
    # (id, entries, classes)
    ("VRd", ["VRd"], {PI, IMID, LEN}),
    ("RVd alias", ["RVd"], {PI, IMID, LEN}),
    ("R-CHOP", ["R-CHOP"], {CD20}),
    ("r chop", ["r chop"], {CD20}),
    ("RCHOP", ["RCHOP"], {CD20}),
    ("rchop lower", ["rchop"], {CD20}),
    ("R-CHOP with cycles", ["R-CHOP x6"], {CD20}),
    ("dara + pom", ["daratumumab + pomalidomide"], {CD38, IMID}),
    ("dara and pom", ["daratumumab and pomalidomide"], {CD38, IMID}),
    ("comma separated", ["bortezomib, lenalidomide, dexamethasone"], {PI, IMID, LEN}),
    ("brand Velcade", ["Velcade"], {PI}),
    ("brand Darzalex", ["Darzalex"], {CD38}),
    ("brands together", ["Velcade", "Darzalex", "Revlimid"], {PI, CD38, IMID, LEN}),
    ("upper case", ["VELCADE"], {PI}),
    ("mixed case", ["dArAtUmUmAb"], {CD38}),
    ("accent", ["Lénalidomide"], {IMID, LEN}),
    ("accent uppercase", ["BORTÉZOMIB"], {PI}),
    ("extra spaces", ["  pomalidomide   "], {IMID}),
    ("inner spacing", ["D - VRd"], {CD38, PI, IMID, LEN}),
    ("blinatumomab cycles", ["2 cycles of blinatumomab"], {CD19}),
    ("tisa-cel", ["tisa-cel"], {CART, CD19}),
    ("Kymriah", ["Kymriah"], {CART, CD19}),
    ("axi-cel generic", ["axicabtagene ciloleucel"], {CART, CD19}),
    ("Yescarta", ["Yescarta"], {CART, CD19}),
    ("Carvykti", ["Carvykti"], {CART, BCMA}),
    ("ide-cel", ["ide-cel"], {CART, BCMA}),
    ("Yikaida", ["Yikaida"], {CART}),
    ("CAR-T", ["CAR-T"], {CART}),
    ("CAR T", ["CAR T"], {CART}),
    ("CART", ["CART"], {CART}),
    ("ASCT", ["ASCT"], {SCT}),
    ("auto-SCT", ["auto-SCT"], {SCT}),
    ("autoSCT", ["autoSCT"], {SCT}),
    ("allo-HSCT", ["allo-HSCT"], {SCT}),
    ("stem cell transplant words", ["autologous stem cell transplant"], {SCT}),
    ("BTKi", ["ibrutinib"], {BTKI}),
    ("BTKi brand", ["Brukinsa"], {BTKI}),
    ("short exact PI", ["PI"], {PI}),
    ("regimen Kd", ["Kd"], {PI}),
    ("R2", ["R2"], {IMID, CD20, LEN}),
    ("Isa-Pd", ["Isa-Pd"], {CD38, IMID}),
    ("pomalidomide is no lenalidomide", ["Pd"], {IMID}),
    ("BCL-2 inhibitor", ["venetoclax"], {BCL2}),
    ("BCL-2 brand", ["Venclexta"], {BCL2}),
    ("CLL after both", ["ibrutinib", "venetoclax + obinutuzumab"], {BTKI, BCL2, CD20}),
    ("CD22", ["inotuzumab ozogamicin"], {CD22}),
]


@pytest.mark.parametrize(("entries", "classes"), [row[1:] for row in CLASSES], ids=[row[0] for row in CLASSES])
def test_classes(entries: list[str], classes: set[str]) -> None:
    result = dictionary(PACK).classify(entries)
    assert result.classes == frozenset(classes)
    assert result.unrecognised == ()
    assert [entry for entry, _classes in result.recognised] == [e.strip() for e in entries]


def test_recognised_entries_carry_their_own_classes_sorted() -> None:
    result = classify("VRd", "daratumumab + pomalidomide", "ASCT")
    assert result.recognised == (
        ("VRd", ("imid", "lenalidomide", "proteasome_inhibitor")),
        ("daratumumab + pomalidomide", ("anti_cd38", "imid")),
        ("ASCT", ("stem_cell_transplant",)),
    )
    assert result.classes == frozenset({PI, IMID, LEN, CD38, SCT})


def test_unknown_entries_are_listed_as_typed() -> None:
    result = classify("R-CHOP", "Xyzomab", " zorbimab ", "Ибрутиниб")
    assert result.classes == frozenset({CD20})
    assert result.unrecognised == ("Xyzomab", "zorbimab", "Ибрутиниб")
    assert [entry for entry, _ in result.recognised] == ["R-CHOP"]


def test_a_partly_known_combination_lists_the_unknown_part() -> None:
    result = classify("Kd + zorbimab")
    assert result.classes == frozenset({PI})
    assert result.recognised == (("Kd + zorbimab", ("proteasome_inhibitor",)),)
    assert result.unrecognised == ("zorbimab",)


@pytest.mark.parametrize(
    ("entry", "classes", "unknown"),
    [
        ("daratumumab + zorbimab", {CD38}, "zorbimab"),
        ("pomalidomide + daratumamab", {IMID}, "daratumamab"),
        ("FOLFOX + quorzitinib", set(), "quorzitinib"),
        ("ibrutinib then plexomab", {BTKI}, "plexomab"),
    ],
    ids=["dara + unknown", "typo in a combination", "FOLFOX + unknown", "then"],
)
def test_a_partly_known_combination_with_a_long_known_name_lists_the_unknown_part(
    entry: str, classes: set[str], unknown: str
) -> None:
    result = classify(entry)
    assert result.classes == frozenset(classes)
    assert unknown in result.unrecognised


def test_empty_entries_are_ignored() -> None:
    assert classify("", "   ", "\t") == Classified(frozenset(), (), ())
    result = classify("", "VRd", "  ")
    assert result.recognised == (("VRd", ("imid", "lenalidomide", "proteasome_inhibitor")),)
    assert result.unrecognised == ()


def test_nothing_listed_is_nothing_known() -> None:
    assert classify() == Classified(frozenset(), (), ())


@pytest.mark.parametrize("entry", ["FOLFOX", "folfox", "Hyper-CVAD", "hypercvad"])
def test_regimens_without_a_criterion_class_are_recognised_with_no_class(entry: str) -> None:
    result = classify(entry)
    assert result.classes == frozenset()
    assert result.recognised == ((entry, ()),)
    assert result.unrecognised == ()


def test_names_are_not_matched_inside_other_words() -> None:
    # "isa" (isatuximab), "len" (lenalidomide) and "pom" are short names: whole words only
    result = classify("isavuconazole", "lenograstim", "pompe")
    assert result.classes == frozenset()
    assert result.unrecognised == ("isavuconazole", "lenograstim", "pompe")


@pytest.fixture(params=["shipped", "fixture"], scope="module")
def any_pack(request: pytest.FixtureRequest) -> Pack:
    """The shipped pack (its dictionary must hold together whatever it adds) and the fixture pack."""
    return load_pack() if request.param == "shipped" else load_pack(FIXTURE_PACK_DIR)


def test_every_name_and_regimen_in_the_pack_is_recognised_as_its_class(any_pack: Pack) -> None:
    def classify(*entries: str) -> Classified:
        return dictionary(any_pack).classify(entries)

    assert any_pack.drug_classes and any_pack.regimens
    for drug_class in any_pack.drug_classes:
        for name in drug_class.names:
            result = classify(name)
            assert drug_class.id in result.classes, (drug_class.id, name)
            assert result.unrecognised == (), name
    for regimen in any_pack.regimens:
        for name in (regimen.name, *regimen.aliases):
            result = classify(name)
            assert set(regimen.classes) <= result.classes, (regimen.name, name)
            assert result.unrecognised == (), name


def test_drug_classes_and_regimens_are_sourced(any_pack: Pack) -> None:
    classes = {c.id for c in any_pack.drug_classes}
    for item in (*any_pack.drug_classes, *any_pack.regimens):
        assert item.sourced.source in any_pack.sources and item.sourced.as_of, item
    for regimen in any_pack.regimens:
        assert set(regimen.classes) <= classes, regimen.name  # a regimen names only classes the pack defines


def test_the_dictionary_is_built_once_per_pack() -> None:
    assert dictionary(PACK) is dictionary(PACK)
    other = load_pack(FIXTURE_PACK_DIR)
    assert other == PACK and other is not PACK
    assert dictionary(other) is not dictionary(PACK)
    assert dictionary(other).classify(["VRd"]) == dictionary(PACK).classify(["VRd"])
