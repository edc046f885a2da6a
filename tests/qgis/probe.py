"""Run by Debian's python3 (which has QGIS 3.22's bindings): load GeoJSON layers as an analyst drags
them into QGIS, let QGIS pick the temporal fields it pre-selects, and count the features its Temporal
Controller shows on each date (a one-day frame, QGIS's default limits).

    python3 tests/qgis/probe.py '{"layers": [...], "dates": ["2024-02-10", ...], "png": null}'

Prints one JSON object: per layer, its validity, feature count, temporal fields and counts per date,
and every message GDAL or QGIS logged.
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
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime  # noqa: E402


def day_range(iso: str) -> QgsDateTimeRange:
    year, month, day = map(int, iso.split("-"))
    start = QDateTime(QDate(year, month, day), QTime(0, 0))
    return QgsDateTimeRange(start, start.addDays(1))


def probe(path: str, dates: list[str], messages: list[str]) -> dict:
    layer = QgsVectorLayer(path, os.path.basename(path), "ogr")
    if not layer.isValid():
        return {"valid": False}
    props = layer.temporalProperties()
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
    }


def main() -> None:
    args = json.loads(sys.argv[1])
    app = QgsApplication([], False)
    app.initQgis()
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: messages.append(f"{tag}: {message}")
    )
    result = {path: probe(path, args["dates"], messages) for path in args["layers"]}
    print(json.dumps({"layers": result, "messages": messages}))
    app.exitQgis()


if __name__ == "__main__":
    main()
