"""The copy engine: copy a directory tree fast, faithfully, resumably.

A pure library (no RPC, no database, no global configuration), used by
the data service for host-assisted migration and by the local driver for
snapshots and replica syncs.

Public API::

    plan = plan_tree(src, ignore=())   # optional: one walk, totals
    job = CopyJob(src, dest, workers=8, verify=False, algorithm='auto',
                  incremental=False, checkpoint=None, progress=None,
                  progress_interval=0.5, ignore=(), chunk_size=64 MiB,
                  link_dest=None)
    result = job.run()                 # blocking; job.cancel() from any
                                       # thread
    result.state                       # COMPLETED|CANCELLED|ERROR
                                       # ('completed'|'cancelled'|'error')

``CopyResult`` carries ``bytes_total``/``bytes_done``,
``files_total``/``files_done`` (exact at the end), ``bytes_copied`` /
``files_copied`` (what was actually written: little on an incremental
pass), ``removed`` (destination entries pruned), ``mismatches``
(relative paths that failed verification), ``error`` (a message naming
the path) and ``elapsed`` seconds. ``progress(Progress)`` receives the
same counters plus ``rate_bps``, ``current_path``, ``elapsed`` and
``planning`` (True while totals still grow, see below). ``file_digest``
hashes one file the way verification does. ``run`` never raises for a
failed copy: the failure is in the result; ``plan_tree`` raises
``CopyError``. ``algorithm`` is ``'xxh3_128'`` (the default, also what
``'auto'`` means), ``'sha256'``, ``'blake2b'`` or any ``hashlib`` name;
``result.algorithm`` records the one verification used.

How it works:

* **Plan**: one ``os.scandir`` walk lists directories, files, symlinks,
  hard-link groups and special files and counts bytes. Into an empty
  destination the copy starts while the walk goes on (nothing can need
  pruning), so progress totals grow during the first moments
  (``Progress.planning``); otherwise the walk comes first.
* **Copy**: directories as they are found, regular files in batches (up
  to 48 files or 8 MiB in walk order, a large file alone) taken by
  ``workers`` threads; each file goes through ``os.copy_file_range`` in
  chunks of at most ``chunk_size``, ``os.sendfile`` once the file
  systems turn out to differ, a buffered copy last. Sparse files go
  extent by extent (``SEEK_DATA``/``SEEK_HOLE``) so holes stay holes.
  Xattrs, owner, mode and times (ns) are set through the descriptor,
  mtime last; calls that cannot change anything (our own owner, a mode
  the umask left intact) are skipped. Sources are opened ``O_NOATIME``
  where allowed, so not even their atimes change.
* **Links and metadata**: hard links are re-created as links, symlinks
  as symlinks, FIFOs and device nodes as such; directories get their
  metadata last, deepest first.
* **Progress** goes to ``progress`` once at the start, at most every
  ``progress_interval`` seconds from a reporter thread, and once at the
  end with exact totals; bytes count per chunk.
* **Cancel** sets an event checked between files and between chunks;
  the file in flight is removed.
* **Resume**: over existing content each file is written as an unnamed
  ``O_TMPFILE`` (or under a short random name, ``TMP_PREFIX``, where the
  file system cannot) and linked or renamed when complete, and a file
  whose size and mtime equal the source's counts as complete (the mtime
  is set last). ``checkpoint`` (a path) records completed files as JSON
  lines, fsynced in batches; a restart skips them (and, with ``verify``
  on an incremental pass, does not hash them again); stale temporary
  files go with the prune (the source lacks them). Into an empty
  destination files are written under their own name, saving a link
  each: nobody reads a destination
  before its copy ends, a cancel or failure removes the file in flight,
  and after a kill the restart rewrites what it cannot prove complete.
* **Incremental**: onto an existing destination, only files whose size
  or mtime (or checksum, with ``verify``) differ are copied, owner, mode,
  times and xattrs of the others are fixed, and entries the source lacks
  are removed (names in ``ignore`` are left alone on both sides, at the
  root only).
* **Trusting the previous pass** (``trust_unchanged``, with
  ``recheck_after_ns``): the caller vouches that a complete earlier pass
  made the destination equal to the source as it was at
  ``recheck_after_ns``. A file whose ctime is older is then counted as
  done without looking at the destination (nothing about it changed
  since: data, size, mtime, owner, mode, xattrs, links and renames all
  move the ctime), and the prune lists only the destination
  directories whose source counterpart's ctime is newer (an entry
  created, removed or renamed in a directory moves its ctime), by
  their entry types, without a ``stat`` each. A resumed run (a
  checkpoint) prunes everything, for stale temporary files. The source
  is still walked and ``stat``-ed whole: that walk is the pass's cost.
* **Link-dest**: with ``link_dest`` (a tree an earlier copy of the
  same source made, as rsync's ``--link-dest``), a regular file whose
  size, mtime, mode and owner equal its counterpart's there, and whose
  ctime is older than the counterpart's (so neither its data nor its
  xattrs changed since that copy), becomes a hard link to the
  counterpart instead of a copy (``bytes_linked``/``files_linked``).
  The ``link_dest`` tree is reached through ``safefs`` like the others
  and never written; a counterpart that vanished or cannot take one
  more link is copied.
* **Verify**: every copied file is hashed on both sides through the
  open descriptors (streamed, 1 MiB blocks, holes skipped: see
  ``_digest_fd``); a mismatch is listed, never takes the real name, and
  fails the job.

* **Changing sources**: a file whose size, mtime or ctime after its
  copy differ from before is copied again, up to ``_ATTEMPTS`` times,
  then the job fails naming it: a torn file never counts as done.
* **Path safety**: both trees are reached through directory descriptors
  (``safefs``): a directory swapped for a symlink mid-copy fails the job
  naming the path, or the link is copied as a link; nothing outside the
  two roots is ever read or written. Any name the file system accepts
  is copied (255 bytes, newlines, ``*.mltmp``).

The source is only ever read.

The package: ``base`` (constants, errors, the named result states,
``Progress`` and ``CopyResult``), ``plan`` (the walk), ``checkpoint``,
``digest`` (verification), ``fileops`` (one regular file copied, linked
or kept, and ``copy_file_at``), ``workers`` (per-thread tallies and the
small-file gate) and ``engine`` (``CopyJob``: the run, the prune, the
tree's metadata). Callers import this package only.
"""

from manila_lite.data.copy.base import _ATTEMPTS  # noqa: F401
from manila_lite.data.copy.base import _BATCH_BYTES  # noqa: F401
from manila_lite.data.copy.base import _BATCH_FILES  # noqa: F401
from manila_lite.data.copy.base import _BUF  # noqa: F401
from manila_lite.data.copy.base import CANCELLED  # noqa: F401
from manila_lite.data.copy.base import COMPLETED  # noqa: F401
from manila_lite.data.copy.base import DEFAULT_CHUNK  # noqa: F401
from manila_lite.data.copy.base import ERROR  # noqa: F401
from manila_lite.data.copy.base import STATES  # noqa: F401
from manila_lite.data.copy.base import TMP_PREFIX  # noqa: F401
from manila_lite.data.copy.base import CopyError  # noqa: F401
from manila_lite.data.copy.base import CopyResult  # noqa: F401
from manila_lite.data.copy.base import Progress  # noqa: F401
from manila_lite.data.copy.checkpoint import _Checkpoint  # noqa: F401
from manila_lite.data.copy.digest import _digest_fd  # noqa: F401
from manila_lite.data.copy.digest import fastest_algorithm  # noqa: F401
from manila_lite.data.copy.digest import file_digest  # noqa: F401
from manila_lite.data.copy.engine import CopyJob  # noqa: F401
from manila_lite.data.copy.fileops import copy_file_at  # noqa: F401
from manila_lite.data.copy.plan import Plan  # noqa: F401
from manila_lite.data.copy.plan import plan_tree  # noqa: F401
from manila_lite.data.copy.workers import _Gate  # noqa: F401
from manila_lite.data.copy.workers import _Tally  # noqa: F401
