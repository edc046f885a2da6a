"""The data's licence and attributions: in the repository, in every layer, on the site."""

from __future__ import annotations

import json
import re

from geo.build import run
from geo.layers import render_layers
from geo.properties import data_version
from geo.validate import load_dataset


def test_code_is_mit_and_data_is_cc_by_with_osm_geometry_under_the_odbl(repo_root):
    assert (repo_root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data = (repo_root / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data and "https://creativecommons.org/licenses/by/4.0/" in data
    for credit in ("GeoNames", "OpenStreetMap contributors", "ODbL", "Natural Earth", "GSHHG"):
        assert credit in data, credit


def test_every_layer_names_the_licence_and_the_data_version_of_the_changelog(repo_root):
    dataset = load_dataset(repo_root / "routes.yaml")
    version = data_version(dataset).text
    assert version == max(
        (s.published for s in dataset.sources.values()), key=lambda d: (d.start, d.text)
    ).text
    for name, text in render_layers(dataset).texts.items():
        head = json.loads(text.split("\n", 1)[0] + "]}")
        assert (head["license"], head["data_version"]) == ("CC-BY-4.0", version), name
        assert "© OpenStreetMap contributors (ODbL)" in head["attribution"]
    changelog = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, flags=re.M).group(1) == version, (
        "CHANGELOG.md's newest entry is the layers' data_version"
    )


def test_the_site_credits_the_data_sources_and_the_track_geometry(repo_root, tmp_path):
    run(repo_root / "routes.yaml", tmp_path / "layers", tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    about = page[page.index('id="about"') :]
    assert "CC BY 4.0" in about and "GeoNames" in about and "ODbL" in about
    script = (tmp_path / "site" / "map.js").read_text(encoding="utf-8")
    assert "Tracks \\u00a9" in script or "Tracks ©" in script, "the map's attribution line"
    assert "route_status.geojson" in page, "offered for download"
