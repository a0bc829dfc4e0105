"""Where a probe's place is: a file path or a module name, found without
importing anything."""

import importlib.machinery
import os

SOURCE_SUFFIXES = tuple(importlib.machinery.SOURCE_SUFFIXES)


class LocationError(Exception):
    """The place names no Python source file."""


def is_path(place):
    return place.endswith(SOURCE_SUFFIXES) or "/" in place or os.sep in place


def module_source(name, path=None):
    """The source file of module `name`, found on `path` (default sys.path)
    the way the import system would, but without running any package's
    __init__."""
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        raise LocationError("'%s' is neither a .py file nor a module name" % name)
    locations = path
    spec = None
    for depth in range(1, len(parts) + 1):
        full = ".".join(parts[:depth])
        spec = importlib.machinery.PathFinder.find_spec(full, locations)
        if spec is None:
            raise LocationError("no module named '%s'" % full)
        if depth < len(parts):
            locations = spec.submodule_search_locations
            if locations is None:
                raise LocationError("'%s' is not a package, so it has no module '%s'" % (full, parts[depth]))
    origin = spec.origin
    if not origin or not origin.endswith(SOURCE_SUFFIXES) or not os.path.isfile(origin):
        raise LocationError("module '%s' has no Python source (%s)" % (name, origin or "a namespace package"))
    return origin


def resolve(place, base_dir, module_path=None):
    """The absolute source path for a probe's place: a path relative to
    `base_dir` (the probe file's folder) or absolute, or a module name
    found on `module_path` (default sys.path)."""
    if is_path(place):
        path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(place)))
        if not os.path.isfile(path):
            raise LocationError("no such file: %s" % path)
        return path
    return module_source(place, module_path)


def resolve_probe_place(place, probe_file_dir, module_path=None):
    """A probe's place: a path is taken relative to the probe file, then (as
    Wilma does) to the current folder."""
    try:
        return resolve(place, probe_file_dir, module_path)
    except LocationError:
        if not is_path(place) or os.path.abspath(probe_file_dir) == os.getcwd():
            raise
        return resolve(place, os.getcwd(), module_path)
