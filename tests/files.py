"""Helpers for tests that compare share contents on disk."""

import os


def contents(root):
    """``{relative path: bytes}`` of every file under ``root``."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, 'rb') as f:
                out[os.path.relpath(path, root)] = f.read()
    return out
