"""Pause Python's cyclic garbage collector while a large, acyclic structure is built.

Reading a 100,000-event file, writing its layers and its site each create millions of
small dicts, lists, tuples and records, none of them part of a reference cycle.  The
collector runs every few hundred allocations and re-walks everything still alive, so
those phases spent a third of their time (half, for the site) in it.  Anything the block
leaves behind in a cycle (folium's element tree) is collected once it ends.  ``geo build``
keeps it paused from start to end: between the phases, the collector would otherwise walk
the whole dataset (0.2 s at 100,000 events), and a forked worker that collects touches
every object, so the kernel copies the memory the two processes share.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
