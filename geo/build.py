"""``geo build``: routes.yaml -> dataset -> layers/ (GeoJSON) -> site/ (the map).

Every output directory is written in full into a fresh directory beside it, flushed to
disk, and only then swapped in: on Linux with ``renameat2(RENAME_EXCHANGE)``, which trades
the two directories in one step, so a reader (or a build killed at any moment) sees either
the old outputs or the new ones, never a mix or nothing.  Leftovers of a killed build are
removed by the next one.

layers/ and site/ are two directories, so they are swapped one after the other, with nothing
in between; the old contents are deleted only after both swaps.  The site goes first: a build
killed between the two swaps leaves the new site with the old layers, which
``geo build --check`` reports as stale layers.  So when --check passes, the site (if the last
build wrote one) is as new as the layers.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError
from geo.model import Dataset

log = logging.getLogger(__name__)

SiteWriter = Callable[..., None]  # geo.site.write_site, or a stand-in in tests


@dataclass(frozen=True)
class BuildResult:
    counts: dict[str, int]  # layer name -> number of features
    layers_dir: Path
    site_dir: Path | None  # None when the site was not written
    # what was built from: a caller about to exit can leave it to the operating system
    # (freeing 100,000 events object by object takes a quarter of a second)
    dataset: Dataset | None = None


def run(
    data: str | os.PathLike, layers_dir: str | os.PathLike, site_dir: str | os.PathLike | None
) -> BuildResult:
    """Build layers/ and (unless *site_dir* is None) site/ from *data*."""
    from geo.layers import render_layers
    from geo.validate import load_dataset

    dataset = load_dataset(data)
    layers = render_layers(dataset)
    layers_dir = Path(layers_dir)
    site_path = Path(site_dir) if site_dir is not None else None
    for target in [layers_dir] + ([site_path] if site_path else []):
        _refuse_unsafe_target(target, Path(data))
    if site_path and _overlap(site_path, layers_dir):
        raise GeoError(
            f"--layers {layers_dir} and --site {site_path} overlap: give them separate directories"
        )
    site = None
    if site_path:
        write_site = site_writer()
        site = (site_path, lambda out: write_site(dataset, layers, out))
    _write_and_swap(layers.files, layers_dir, site)
    return BuildResult(
        counts=layers.counts, layers_dir=layers_dir, site_dir=site_path, dataset=dataset
    )


def _write_and_swap(
    layer_files: dict[str, bytes],
    layers_dir: Path,
    site: tuple[Path, Callable[[Path], None]] | None,
) -> None:
    """Write the layers (and the site, with *site*'s writer) beside their targets, then swap
    them in, the site first; GeoError saying what changed if the disk refuses."""
    staged: list[tuple[Path, Path]] = []  # (new directory, target), in swap order
    swapped: list[Path] = []
    discard: list[Path] = []  # staging directories, then the old outputs once swapped out
    target = layers_dir
    try:
        new_layers = _fresh_dir_beside(layers_dir)
        discard.append(new_layers)
        for name, data in layer_files.items():
            _write_file(new_layers / name, data)
        _fsync_dir(new_layers)
        if site:
            target, write = site
            new_site = _fresh_dir_beside(target)
            discard.append(new_site)
            write(new_site)
            _fsync_tree(new_site)
            staged.append((new_site, target))
        staged.append((new_layers, layers_dir))
        for new, target in staged:
            old = _swap_in(new, target)
            swapped.append(target)
            if old is not None:
                discard.append(old)
        for parent in dict.fromkeys(t.parent for t in swapped):
            _fsync_dir(parent)
    except OSError as exc:
        raise GeoError(f"cannot write {target}: {_reason(exc)}; {_kept(staged, swapped)}") from exc
    finally:
        for path in discard:
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)


def _kept(staged: list[tuple[Path, Path]], swapped: list[Path]) -> str:
    """What a failed write left as it was."""
    unchanged = [str(t) for _, t in staged if t not in swapped]
    if not swapped:
        return "the previous outputs are unchanged"
    if unchanged:
        return f"{', '.join(map(str, swapped))} updated, {', '.join(unchanged)} unchanged"
    return f"{', '.join(map(str, swapped))} updated but perhaps not yet saved to disk"


def stale_layers(data: str | os.PathLike, layers_dir: str | os.PathLike) -> list[str]:
    """What differs between *layers_dir* and the layers *data* gives, one line per file:
    ``stale: layers/events.geojson``, ``missing: …``, ``extra: …``.  Writes nothing."""
    from geo.layers import render_layers
    from geo.validate import load_dataset

    expected = render_layers(load_dataset(data)).files
    layers_dir = Path(layers_dir)
    if layers_dir.exists() and not layers_dir.is_dir():
        raise GeoError(f"{layers_dir} is a file, not a directory of layers")
    problems = []
    for name, data in sorted(expected.items()):
        path = layers_dir / name
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.read_bytes() != data:
            problems.append(f"stale: {path}")
    if layers_dir.is_dir():
        for path in sorted(layers_dir.iterdir()):
            if path.name not in expected and not path.name.startswith("."):
                problems.append(f"extra: {path}")
    return problems


def site_writer() -> SiteWriter:
    """geo.site.write_site(dataset, layers, out_dir) (a function, so that tests can put a
    stand-in in its place)."""
    from geo.site import write_site

    return write_site


# ---------------------------------------------------------------- writing


def _refuse_unsafe_target(target: Path, data: Path) -> None:
    """Swapping replaces a whole directory: never let that be the project or one of its parents."""
    resolved = target.resolve()
    protected = {Path.cwd().resolve(), data.resolve().parent}
    if os.environ.get("HOME"):
        protected.add(Path(os.environ["HOME"]).resolve())
    if any(resolved == p or resolved in p.parents for p in protected) or (target / ".git").exists():
        raise GeoError(
            f"refusing to replace {target}: it holds {data} or other work; "
            "give --layers/--site a directory of their own (e.g. layers, site)"
        )
    if target.exists() and not target.is_dir():
        raise GeoError(f"cannot write {target}: it is a file, not a directory")


def _overlap(a: Path, b: Path) -> bool:
    """True if *a* and *b* are the same directory or one holds the other."""
    a, b = a.resolve(), b.resolve()
    return a == b or a in b.parents or b in a.parents


def _fresh_dir_beside(target: Path) -> Path:
    """A new empty directory next to *target* (same filesystem, so the swap is a rename)."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    path = parent / f".{target.name}.build-{os.getpid()}-{secrets.token_hex(4)}"
    path.mkdir()
    return path


def _remove_leftovers(target: Path) -> None:
    """Delete staging directories left by builds that were killed (their process is gone).

    Also those a writer derived from a staging directory's name by adding a dot in front
    (geo.site stages the site in ``..site.build-PID-….tmp-PID`` beside ``.site.build-PID-…``).
    """
    staging = re.compile(rf"\.+{re.escape(target.name)}\.build-(\d+)-")
    for path in target.parent.glob(f".*{target.name}.build-*"):
        found = staging.match(path.name)
        pid = int(found.group(1)) if found else None
        if pid is not None and pid != os.getpid() and not _alive(pid):
            log.info("removing %s left by an interrupted build", path)
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reason(exc: OSError) -> str:
    """The cause in words ("No space left on device"), also for the error of
    shutil.copytree, which lists each file that failed with its cause as text
    ("[Errno 28] No space left on device: 'a' -> 'b'")."""
    if exc.strerror:
        return exc.strerror
    failures = exc.args[0] if isinstance(exc, shutil.Error) and exc.args else None
    if isinstance(failures, list) and failures:
        first = re.match(r"\[Errno (\d+)\]", str(failures[0][-1]))
        if first:
            return os.strerror(int(first.group(1)))
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems cannot fsync a directory
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _swap_in(new: Path, target: Path) -> Path | None:
    """Make *new* be *target*; return where the old contents now are (None if there were
    none), for the caller to delete once every output is swapped in."""
    if not target.exists() and not target.is_symlink():
        try:
            os.rename(new, target)
            return None
        except OSError as exc:  # another build created it meanwhile
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if _exchange(new, target):
        return new
    old = target.parent / f".{target.name}.build-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically trade two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
