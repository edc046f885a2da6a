"""The stories as the page reads them (static/story.js): each step's map date as a day, its
label at the precision written, and what it highlights, frames and cites."""

from __future__ import annotations

from geo.model import Story


def stories(items: list[Story], date_label) -> list[dict]:
    """*date_label*: geo.site.payload's, so a step's date reads like an event's."""
    return [
        {
            "id": story.id,
            "title": story.title,
            "summary": story.summary,
            "steps": [
                {
                    # the last day the date can stand for: "2019-12" shows all of December
                    "day": step.date.end.isoformat(),
                    "label": date_label(step.date),
                    "title": step.title,
                    "events": list(step.events),
                    "routes": list(step.routes),
                    "view": {"lat": step.view.lat, "lon": step.view.lon, "zoom": step.view.zoom}
                    if step.view
                    else None,
                    "text": step.text,
                    "sources": list(step.sources),
                }
                for step in story.steps
            ],
        }
        for story in items
    ]
