"""Constants, errors, named result states and the result records."""

import dataclasses
import errno

from manila_lite.data import safefs

#: Temporary files are named this plus 16 hex digits (where O_TMPFILE
#: is not available): never a suffix on a user's name.
TMP_PREFIX = '.mltmp-'
DEFAULT_CHUNK = 64 * 1024 * 1024
_BUF = 1024 * 1024
# A batch handed to one worker: up to this many files or bytes.
_BATCH_FILES = 48
_BATCH_BYTES = 8 * 1024 * 1024
#: Copies of a file that keeps changing before the job gives up on it.
_ATTEMPTS = 3

#: The named states of a CopyResult.
COMPLETED = 'completed'
CANCELLED = 'cancelled'
ERROR = 'error'
STATES = (COMPLETED, CANCELLED, ERROR)


class CopyError(Exception):
    """A copy failed; the message names the path."""


class _Stopped(Exception):
    """Ends the walk early after a cancel or a failed file."""


class _Changed(Exception):
    """The source file changed while it was copied."""


@dataclasses.dataclass
class Progress:
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    rate_bps: float = 0.0
    current_path: str = ''
    elapsed: float = 0.0
    #: True while the walk still runs alongside the copy (totals grow).
    planning: bool = False


@dataclasses.dataclass
class CopyResult:
    state: str  # one of STATES
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    bytes_copied: int = 0
    files_copied: int = 0
    bytes_linked: int = 0
    files_linked: int = 0
    removed: int = 0
    mismatches: list = dataclasses.field(default_factory=list)
    error: str = ''
    elapsed: float = 0.0
    #: The digest verification used ('' without verification).
    algorithm: str = ''


def _safe_error(exc, root):
    if isinstance(exc, safefs.UnsafePath):
        return CopyError('%s in %s: %s' % (exc.filename, root,
                                           exc.strerror))
    return None


def _os_error_message(exc, path):
    where = exc.filename or path
    if isinstance(exc, FileNotFoundError):
        return '%s vanished during the copy' % where
    if isinstance(exc, PermissionError):
        return 'permission denied: %s' % where
    if exc.errno == errno.ENOSPC:
        return 'no space left on device writing %s' % where
    return '%s: %s' % (where, exc.strerror or exc)
