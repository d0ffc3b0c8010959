"""Helpers for tests that compare share contents on disk."""

import os
import stat


def contents(root):
    """``{relative path: bytes}`` of every file under ``root``."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, 'rb') as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def observed(root):
    """``{relative path: (mode, uid, mtime, ctime, bytes or None)}`` of
    every entry under ``root`` (links not followed): what any write,
    chmod, chown or removal there would change."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in ['.'] + dirs + files:
            path = os.path.normpath(os.path.join(dirpath, name))
            st = os.lstat(path)
            data = None
            if stat.S_ISREG(st.st_mode):
                with open(path, 'rb') as f:
                    data = f.read()
            out[os.path.relpath(path, root)] = (
                st.st_mode, st.st_uid, st.st_mtime_ns, st.st_ctime_ns, data)
    return out
