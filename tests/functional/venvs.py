"""Virtualenvs of their own for tools whose dependencies must not mix
with ours (Keystone, tempest): created once, completed when the package
list grows, under a file lock so parallel runs wait for one install."""

import fcntl
import os
import subprocess
import sys

STAMP = 'manila_lite-packages'


def bin_path(venv, name):
    return os.path.join(venv, 'bin', name)


def installed(venv, packages):
    """True when ``venv`` was completed with exactly ``packages``."""
    try:
        with open(os.path.join(venv, STAMP)) as f:
            return f.read().split() == sorted(packages)
    except FileNotFoundError:
        return False


def install(venv, packages, timeout=900):
    """Create ``venv`` with ``packages`` unless it is there (idempotent).

    A stamp file written after a complete install names the packages: a
    venv of an older list is completed, not taken as is."""
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    with open(venv + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed(venv, packages):
            return
        if not os.path.exists(bin_path(venv, 'pip')):
            subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([bin_path(venv, 'pip'), 'install', '-q', *packages],
                       check=True, timeout=timeout)
        with open(os.path.join(venv, STAMP), 'w') as f:
            f.write('\n'.join(sorted(packages)) + '\n')
