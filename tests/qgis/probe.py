"""Run by Debian's python3 (which has QGIS 3.22's bindings): load GeoJSON layers as an analyst drags
them into QGIS, let QGIS pick the temporal fields it pre-selects, and count the features its Temporal
Controller shows on each date (a one-day frame, QGIS's default limits).  Optionally render the
layers, with the styles QGIS loads from beside them, on one date's frame into a PNG.

    python3 tests/qgis/probe.py '{"layers": [...], "dates": ["2024-02-10", ...],
                                  "png": null or {"path": ..., "date": ..., "width": ..., "height": ...,
                                                  "extent": [xmin, ymin, xmax, ymax],
                                                  "background": "#…", "basemap": path or null,
                                                  "land_style": {QGIS fill properties},
                                                  "colors": ["#2b6fea", ...],
                                                  "layers": N (render the first N)}}'

Prints one JSON object: per layer, its validity, feature count, temporal fields (those QGIS guesses
and those its default style, the .qml beside it, sets), counts per date, the PNG's count of pixels
near each colour, and every message GDAL or QGIS logged.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsDateTimeRange,
    QgsExpression,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsInterval,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsTemporalNavigationObject,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, QTime  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def day_range(iso: str) -> QgsDateTimeRange:
    """The frame the Temporal Controller shows for *iso* when stepping by one day (begin
    included, end excluded)."""
    year, month, day = map(int, iso.split("-"))
    start = QDateTime(QDate(year, month, day), QTime(0, 0))
    navigation = QgsTemporalNavigationObject()
    navigation.setTemporalExtents(QgsDateTimeRange(start, start.addDays(1)))
    navigation.setFrameDuration(QgsInterval(1, QgsUnitTypes.TemporalDays))
    return navigation.dateTimeRangeForFrameNumber(0)


def probe(path: str, dates: list[str]) -> dict:
    layer = QgsVectorLayer(path, os.path.basename(path), "ogr")  # loads the .qml beside it
    if not layer.isValid():
        return {"valid": False}
    props = layer.temporalProperties()
    styled = {
        "active": props.isActive(),
        "start_field": props.startField(),
        "end_field": props.endField(),
        "mode": int(props.mode()),
    }
    props.guessDefaultsFromFields(layer.fields())
    props.setIsActive(True)
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    counts = {}
    for iso in dates:
        expression = props.createFilterString(context, day_range(iso))
        request = QgsFeatureRequest(QgsExpression(expression)) if expression else QgsFeatureRequest()
        counts[iso] = sum(1 for _ in layer.getFeatures(request))
    return {
        "valid": True,
        "features": layer.featureCount(),
        "fields": {f.name(): f.typeName() for f in layer.fields()},
        "start_field": props.startField(),
        "end_field": props.endField(),
        "mode": int(props.mode()),
        "counts": counts,
        "style": styled,
        "renderer": layer.renderer().type() if layer.renderer() else None,
    }


def render(paths: list[str], spec: dict) -> dict:
    """Draw *paths* (the first on top) with their default styles on *spec*'s date; save the PNG
    and count the pixels within a small distance of each of *spec*'s colours."""
    layers = [QgsVectorLayer(path, os.path.basename(path), "ogr") for path in paths]
    for layer in layers:
        props = layer.temporalProperties()  # the analyst ticks Dynamic Temporal Control
        props.guessDefaultsFromFields(layer.fields())
        props.setIsActive(bool(props.startField()))
    if spec.get("basemap"):  # land outlines, drawn under the layers
        land = QgsVectorLayer(spec["basemap"], "land", "ogr")
        land.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(spec["land_style"])))
        layers.append(land)
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setOutputSize(QSize(spec["width"], spec["height"]))
    settings.setExtent(QgsRectangle(*spec["extent"]))
    settings.setBackgroundColor(QColor(spec["background"]))
    settings.setIsTemporal(True)
    settings.setTemporalRange(day_range(spec["date"]))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(spec["path"], "PNG")
    targets = {c: QColor(c) for c in spec.get("colors", [])}
    pixels = dict.fromkeys(targets, 0)
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = QColor(image.pixel(x, y))
            for name, target in targets.items():
                if (
                    abs(pixel.red() - target.red())
                    + abs(pixel.green() - target.green())
                    + abs(pixel.blue() - target.blue())
                    <= 24
                ):
                    pixels[name] += 1
    return {"path": spec["path"], "pixels": pixels, "errors": list(job.errors())}


def main() -> None:
    args = json.loads(sys.argv[1])
    app = QgsApplication([], False)
    app.initQgis()
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: messages.append(f"{tag}: {message}")
    )
    result = {path: probe(path, args["dates"]) for path in args["layers"]}
    spec = args.get("png")
    image = render(args["layers"][: spec.get("layers")], spec) if spec else None
    print(json.dumps({"layers": result, "png": image, "messages": messages}))
    app.exitQgis()


if __name__ == "__main__":
    main()
