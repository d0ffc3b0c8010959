"""File operations: one regular file copied, linked or kept."""

import errno
import os
import stat

from manila_lite.data import safefs
from manila_lite.data.copy.base import _ATTEMPTS
from manila_lite.data.copy.base import _BUF
from manila_lite.data.copy.base import DEFAULT_CHUNK
from manila_lite.data.copy.base import CopyError
from manila_lite.data.copy.base import _Changed
from manila_lite.data.copy.base import _os_error_message
from manila_lite.data.copy.base import _safe_error
from manila_lite.data.copy.digest import _digest_fd


def _cached(dirs, batch):
    """Whether the batch's first data is in the page cache (reading it
    would not wait on a disk); True where the kernel cannot tell."""
    entry = next((e for e in batch if e.st.st_size), None)
    if entry is None:
        return True
    try:
        fd = safefs.open_file(*dirs.parent(entry.rel))
    except OSError:
        return True  # the copy itself reports the error
    try:
        os.preadv(fd, [bytearray(1)], 0, os.RWF_NOWAIT)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _same_content(a, b):
    """Whether two stats of one file say it did not change between."""
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns) == \
        (b.st_size, b.st_mtime_ns, b.st_ctime_ns)



class FileOps:
    """The per-file half of CopyJob (a mixin: it uses the job's options
    and state)."""

    def _apply_meta(self, fd, name, st, *, is_link=False, new=None,
                    mode_now=None):
        """Owner, mode and times of ``(fd, name)``, never following a
        link (``new``: we created it; ``mode_now``: its mode if
        known)."""
        new = self._direct if new is None else new
        mode = stat.S_IMODE(st.st_mode)
        if not new or self._own != (st.st_uid, st.st_gid):
            mode_now = None  # chown may clear set-id bits
            safefs.chown(fd, name, st.st_uid, st.st_gid)
        if not is_link and mode_now != mode:
            safefs.chmod(fd, name, mode)
        safefs.set_times(fd, st, name)

    # --- one regular file ----------------------------------------------------
    def _copy_one(self, entry, checkpoint, tally, link_only=False):
        """Copy, keep or link one regular file; with ``link_only`` just
        try a link from ``link_dest`` (False: it still needs a copy)."""
        size = entry.st.st_size
        tally.current = entry.rel
        try:
            dst_fd, name = tally.dst_dirs.parent(entry.rel)
            if link_only:
                return self._link_into(entry, dst_fd, name, checkpoint,
                                       tally)
            src_fd, _ = tally.src_dirs.parent(entry.rel)
            if not self._direct and self._unchanged(
                    entry, src_fd, dst_fd, name,
                    checkpoint.is_done(entry)):
                tally.bytes += size
                tally.files += 1
                return True
            if tally.link_dirs is not None and self._link_into(
                    entry, dst_fd, name, checkpoint, tally):
                return True
            good = self._copy_file(entry, src_fd, dst_fd, name, tally)
        except safefs.UnsafePath as exc:
            raise _safe_error(exc, self.src) from None
        except _Changed:
            if self.live:
                # Still being written: the next pass takes it.
                tally.files += 1
                return True
            raise CopyError('%s kept changing during the copy (%d '
                            'attempts)' % (entry.rel, _ATTEMPTS)) from None
        except OSError as exc:
            if self.live and isinstance(exc, FileNotFoundError):
                # Removed or renamed meanwhile: the next pass takes
                # what is there then.
                tally.files += 1
                return True
            where = self.dest if exc.errno == errno.ENOSPC else self.src
            exc.filename = None
            raise CopyError(_os_error_message(
                exc, where + '/' + entry.rel)) from None
        if self._stopping():
            return True
        if not good:
            # A bad copy never takes the real name: a later size/mtime
            # pass would otherwise trust it.
            tally.mismatches.append(entry.rel)
            return True
        tally.bytes_copied += size
        tally.files_copied += 1
        tally.files += 1
        checkpoint.add(entry)
        return True

    def _link_into(self, entry, dst_fd, name, checkpoint, tally):
        """``_link_unchanged`` and its counting."""
        if not self._link_unchanged(entry, dst_fd, name, tally):
            return False
        size = entry.st.st_size
        tally.bytes += size
        tally.files += 1
        tally.bytes_linked += size
        tally.files_linked += 1
        checkpoint.add(entry)
        return True

    def _link_unchanged(self, entry, dst_fd, name, tally):
        """Hard-link the file from ``link_dest`` if it is unchanged
        since that copy (see the module docstring); False to copy."""
        st = entry.st
        try:
            link_fd, _ = tally.link_dirs.parent(entry.rel)
            old = safefs.lstat_or_none(link_fd, name)
        except (OSError, safefs.UnsafePath):
            return False  # its directory is new, or not one there
        if (old is None or not stat.S_ISREG(old.st_mode)
                or old.st_size != st.st_size
                or old.st_mtime_ns != st.st_mtime_ns
                or old.st_mode != st.st_mode
                or (old.st_uid, old.st_gid) != (st.st_uid, st.st_gid)
                or st.st_ctime_ns >= old.st_ctime_ns):
            return False
        if not self._direct:
            safefs.unlink(dst_fd, name)  # a resumed run's partial file
        try:
            safefs.hardlink(link_fd, name, dst_fd, name)
        except (FileNotFoundError, FileExistsError):
            return False
        except OSError as exc:
            if exc.errno in (errno.EMLINK, errno.EXDEV, errno.EPERM):
                return False
            raise
        return True

    def _unchanged(self, entry, src_fd, dst_fd, name, recorded):
        """Whether the destination already holds the file (metadata
        fixed on an incremental pass). Size and mtime decide, as the
        mtime is set last; with ``verify`` on an incremental pass,
        contents decide unless the checkpoint recorded the file."""
        st = entry.st
        if (self.recheck_after_ns is not None
                and st.st_ctime_ns >= self.recheck_after_ns):
            # Changed since (or just before) the previous pass: a change
            # within the clock's granularity after that pass read it may
            # have kept size and mtime, an xattr set after it read them
            # is older than the copy's ctime, and a writer may put an
            # mtime back. Copied again.
            return False
        dst_st = safefs.lstat_or_none(dst_fd, name)
        if dst_st is None:
            return False
        if not stat.S_ISREG(dst_st.st_mode) or dst_st.st_size != st.st_size:
            return False
        if (self.verify and self.verify_unchanged and self.incremental
                and not recorded):
            digests = []
            for fd in (src_fd, dst_fd):
                f = safefs.open_read(fd, name)
                try:
                    digests.append(_digest_fd(f, self.algorithm,
                                              bytearray(_BUF)))
                finally:
                    os.close(f)
            if digests[0] != digests[1]:
                return False
        elif dst_st.st_mtime_ns != st.st_mtime_ns:
            return False
        if self.incremental:
            # The source's xattrs cannot have changed since we last set
            # the copy's metadata if its ctime is older: skip listing.
            if st.st_ctime_ns >= dst_st.st_ctime_ns:
                wanted = safefs.xattrs(src_fd, name)
                if wanted != safefs.xattrs(dst_fd, name):
                    safefs.set_xattrs(dst_fd, wanted, name)
            if (dst_st.st_uid, dst_st.st_gid) != (st.st_uid, st.st_gid):
                safefs.chown(dst_fd, name, st.st_uid, st.st_gid)
            if (stat.S_IMODE(dst_st.st_mode) != stat.S_IMODE(st.st_mode)
                    or dst_st.st_uid != st.st_uid):
                safefs.chmod(dst_fd, name, stat.S_IMODE(st.st_mode))
            if dst_st.st_mtime_ns != st.st_mtime_ns:
                safefs.set_times(dst_fd, st, name)
        return True

    def _copy_file(self, entry, src_fd, dst_fd, name, tally):
        """Data, xattrs, owner, mode and times, through descriptors;
        False if ``verify`` found the copy differs. A source that
        changes meanwhile is copied again (``_Changed`` after
        ``_ATTEMPTS``); the copy only takes its name when complete."""
        fin = safefs.open_file(src_fd, name)
        try:
            st = os.fstat(fin)
            if not stat.S_ISREG(st.st_mode):
                # Replaced by something else since the walk.
                raise _Changed()
            entry.st = st
            mode = stat.S_IMODE(st.st_mode)
            # Created with its final mode when the umask keeps it intact
            # (the descriptor stays writable): one fchmod less per file.
            exact = (self._umask is not None and not mode & 0o7000
                     and not mode & self._umask)
            if self._direct:
                fout, tmp = safefs.open_write(
                    dst_fd, name, mode if exact else 0o600), name
            else:
                fout, tmp = safefs.open_unnamed(dst_fd,
                                                mode if exact else 0o600)
            complete = False
            try:
                for attempt in range(_ATTEMPTS):
                    if attempt:
                        tally.bytes -= entry.st.st_size
                        os.ftruncate(fout, 0)
                        st = entry.st = os.fstat(fin)
                    try:
                        self._copy_data(fin, fout, st, tally)
                    except OSError as exc:
                        if exc.errno != errno.ENODATA:  # it shrank
                            raise
                        continue
                    if _same_content(os.fstat(fin), st):
                        break
                else:
                    raise _Changed()
                if self._stopping():
                    return True
                if self.verify:
                    # Before the times are set: reading moves the atime.
                    a = _digest_fd(fin, self.algorithm, tally.buf,
                                   self._cancel)
                    b = _digest_fd(fout, self.algorithm, tally.buf,
                                   self._cancel)
                    if self._stopping():
                        return True
                    if a != b or not _same_content(os.fstat(fin), st):
                        return False
                self._finish_file(fin, fout, st, exact)
                if not self._direct:
                    safefs.publish(fout, tmp, dst_fd, name)
                complete = True
            finally:
                os.close(fout)
                if not complete and tmp is not None:
                    safefs.unlink(dst_fd, tmp)
        finally:
            os.close(fin)
        return True

    def _copy_data(self, fin, fout, st, tally):
        size = st.st_size
        if size and st.st_blocks * 512 < size:
            self._copy_sparse(fin, fout, size, tally)
            os.ftruncate(fout, size)  # a trailing hole
        elif size:
            self._copy_range(fin, fout, 0, size)

    def _finish_file(self, fin, fout, st, exact):
        xattrs = safefs.xattrs(fin)
        if xattrs:
            safefs.set_xattrs(fout, xattrs)
        if self._own != (st.st_uid, st.st_gid):
            exact = False  # fchown may drop mode bits
            try:
                os.fchown(fout, st.st_uid, st.st_gid)
            except PermissionError:
                pass
        if not exact:
            os.fchmod(fout, stat.S_IMODE(st.st_mode))
        safefs.set_times(fout, st)

    def _copy_sparse(self, fin, fout, size, tally):
        offset = 0
        while offset < size and not self._stopping():
            try:
                data = os.lseek(fin, offset, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                data = size                       # only a hole remains
            data = min(data, size)
            tally.bytes += data - offset          # holes count as done
            if data >= size:
                return
            hole = min(os.lseek(fin, data, os.SEEK_HOLE), size)
            self._copy_range(fin, fout, data, hole - data)
            offset = hole

    def _copy_range(self, fin, fout, offset, length):
        """Copy ``length`` bytes at ``offset`` in chunks, checking for a
        cancel between chunks; the fastest method that works sticks."""
        tally = self._tally()
        pos, end = offset, offset + length
        while pos < end:
            if self._stopping():
                return
            want = min(self.chunk_size, end - pos)
            method = self._method
            try:
                if method == 'copy_file_range':
                    n = os.copy_file_range(fin, fout, want, pos, pos)
                elif method == 'sendfile':
                    os.lseek(fout, pos, os.SEEK_SET)
                    n = os.sendfile(fout, fin, pos, want)
                else:
                    data = os.pread(fin, min(want, 8 * _BUF), pos)
                    n = os.pwrite(fout, data, pos) if data else 0
            except OSError as exc:
                if method == 'buffered' or exc.errno not in (
                        errno.EXDEV, errno.EINVAL, errno.ENOSYS,
                        errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
                    raise
                self._method = ('sendfile' if method == 'copy_file_range'
                                else 'buffered')
                continue
            if n == 0:
                raise OSError(errno.ENODATA, 'file shrank during the copy')
            pos += n
            tally.bytes += n


def _copy_chunks(fin, fout, size):
    """Copy ``size`` bytes from the start (copy_file_range, else
    buffered); fewer if the source shrank."""
    pos = 0
    fast = True
    while pos < size:
        want = min(DEFAULT_CHUNK, size - pos)
        if fast:
            try:
                n = os.copy_file_range(fin, fout, want, pos, pos)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EINVAL,
                                     errno.ENOSYS, errno.EOPNOTSUPP,
                                     errno.ENOTSUP, errno.EPERM):
                    raise
                fast = False
                continue
        else:
            data = os.pread(fin, min(want, 8 * _BUF), pos)
            n = os.pwrite(fout, data, pos) if data else 0
        if n == 0:
            return
        pos += n


def copy_file_at(src_dir, dst_dir, name):
    """Copy the regular file ``name`` of the directory descriptor
    ``src_dir`` into ``dst_dir`` with its xattrs, owner, mode and times,
    replacing what has the name there only once the copy is complete;
    a source that keeps changing meanwhile raises CopyError."""
    fin = safefs.open_file(src_dir, name)
    try:
        for _attempt in range(_ATTEMPTS):
            st = os.fstat(fin)
            if not stat.S_ISREG(st.st_mode):
                raise CopyError('%s is not a regular file' % name)
            fout, tmp = safefs.open_unnamed(dst_dir, 0o600)
            published = False
            try:
                _copy_chunks(fin, fout, st.st_size)
                if not _same_content(os.fstat(fin), st):
                    continue
                xattrs = safefs.xattrs(fin)
                if xattrs:
                    safefs.set_xattrs(fout, xattrs)
                try:
                    os.fchown(fout, st.st_uid, st.st_gid)
                except PermissionError:
                    pass
                os.fchmod(fout, stat.S_IMODE(st.st_mode))
                safefs.set_times(fout, st)
                safefs.publish(fout, tmp, dst_dir, name)
                published = True
                return
            finally:
                os.close(fout)
                if tmp is not None and not published:
                    safefs.unlink(dst_dir, tmp)
        raise CopyError('%s kept changing during the copy (%d attempts)'
                        % (name, _ATTEMPTS))
    finally:
        os.close(fin)
