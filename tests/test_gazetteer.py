"""The offline gazetteer: curated places, spellings in four scripts, GeoNames fallback, no silent guesses."""

from __future__ import annotations

import json

import pytest

from geo.errors import ResolveError
from geo.gazetteer import Gazetteer, curated_places, normalize


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(
    "name, place_id",
    [
        ("Rason", "rajin"),
        ("Rajin", "rajin"),
        ("Najin", "rajin"),
        ("Nason", "rajin"),
        ("라진", "rajin"),
        ("Dumangang", "tumangang"),
        ("Tumangang", "tumangang"),
        ("Pyongyang", "pyongyang"),
        ("P'yŏngyang", "pyongyang"),
        ("평양", "pyongyang"),
        ("Владивосток", "vladivostok"),
        ("vladivostok", "vladivostok"),
        ("丹东", "dandong"),
        ("VVO", "vladivostok-airport"),
        ("FNJ", "pyongyang-sunan-airport"),
        ("Khasan", "khasan"),
    ],
)
def test_curated_spellings_resolve(gaz, name, place_id):
    assert gaz.resolve(name).place.id == place_id


def test_matching_ignores_case_accents_and_punctuation():
    assert normalize("P'yŏngyang") == normalize("pyongyang") == normalize("PYONG-YANG")


def test_unknown_name_suggests_nearest(gaz):
    with pytest.raises(ResolveError) as info:
        gaz.resolve("Vladivostock")
    assert "did you mean Vladivostok" in str(info.value)
    assert info.value.candidates[0] == "Vladivostok"


def test_fallback_city_from_geonames(gaz):
    match = gaz.resolve("Irkutsk")
    assert match.place.origin == "geonames" and match.place.country == "RU"
    assert match.place.id == "geonames-2023469"
    assert gaz.by_id("geonames-2023469").name == "Irkutsk"


def test_khabarovsk_resolves_without_editing_anything(gaz):
    """Khabarovsk is not one of this project's curated border places; GeoNames provides it."""
    place = gaz.resolve("Khabarovsk").place
    assert place.origin == "geonames" and place.id == "geonames-2022890"
    assert place.country == "RU" and place.geonames_id == 2022890
    assert abs(place.lat - 48.46) < 0.05 and abs(place.lon - 135.10) < 0.05


def test_ambiguous_name_lists_candidates_with_countries(gaz):
    with pytest.raises(ResolveError) as info:
        gaz.resolve("Springfield")
    message = str(info.value)
    assert "ambiguous" in message and "US-MO" in message and "US-IL" in message
    assert len(info.value.candidates) >= 3


def test_country_filter_narrows(gaz):
    with pytest.raises(ResolveError):
        gaz.resolve("Chita")
    assert gaz.resolve("Chita", country="RU").place.country == "RU"
    assert gaz.resolve("Chita, JP").place.country == "JP"


def test_curated_entries_are_complete_and_unique():
    places = curated_places()
    ids = [p.id for p in places]
    assert len(ids) == len(set(ids))
    owners: dict[str, str] = {}
    for p in places:
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180, p.id
        assert len(p.country) == 2 and p.kind, p.id
        assert p.sources, f"{p.id} has no source for its coordinates"
        for label in {normalize(x) for x in (p.name, *p.alt_names)}:
            assert owners.setdefault(label, p.id) == p.id, f"'{label}' names both {owners[label]} and {p.id}"


def test_local_places_override_curated():
    from geo.model import Place

    local = Place(id="khasan", name="Khasan (local)", lat=42.4, lon=130.6, kind="town", country="RU", origin="local")
    assert Gazetteer([local]).resolve("khasan").place.name == "Khasan (local)"


@pytest.mark.parametrize(
    "args, expect",
    [
        (["Rason"], "rajin\tRajin\tKP"),
        (["라진"], "rajin\tRajin\tKP"),
        (["Dumangang"], "tumangang\tTumangang\tKP"),
        (["Khabarovsk"], "geonames-2022890\tKhabarovsk\tRU"),
    ],
)
def test_cli_resolve(geo, args, expect):
    r = geo("resolve", *args)
    assert r.returncode == 0, r.stderr
    assert expect in r.stdout


def test_cli_resolve_json(geo):
    r = geo("resolve", "Rason", "--json")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert record["id"] == "rajin" and record["matched"] == "Rason" and record["geonames_id"] == 2042645


def test_cli_resolve_misspelt_suggests(geo):
    r = geo("resolve", "Vladivostock")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == r.stderr.strip().splitlines()[0]  # one line
    assert "did you mean Vladivostok" in r.stderr


def test_cli_resolve_ambiguous_lists(geo):
    r = geo("resolve", "Springfield")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "ambiguous" in r.stderr and "(US-MA" in r.stderr
