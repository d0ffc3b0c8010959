"""What an access rule's ``access_to`` may be, per ``access_type``.

Upstream's checks (``manila.api.common.validate_access`` and its
helpers), with their 400 messages, made whole-value: every pattern
matches to the end of the string (``\\Z``; ``$`` also matches before a
trailing newline), and no value may hold whitespace or control
characters at all, since rules end up as tokens of lines in files a
backend reads (an NFS exports file): ``"abcd\\n"`` or
``"x *(rw,no_root_squash) y"`` would add a client nobody created.

- ``ip``: an IPv4 or (from 2.38) IPv6 address or network in CIDR
  notation, host bits clear, as ``ipaddress.ip_network`` reads it,
  without an IPv6 scope (``%...``, free text).
- ``user``: 4 to 255 characters, none of ``"/\\[]:;|=,+*?<>`` past the
  first, not only periods.
- ``cert``: a common name of 1 to 64 characters.
- ``cephx`` (from 2.13): printable ASCII, no periods.
"""

import ipaddress
import re
import string
import unicodedata

from manila_lite.common import exceptions

#: Upstream's user/group name rule, anchored at both ends.
_USER_RE = re.compile(r'.[^"/\\\[\]:;|=,+*?<>]{3,254}\Z')
_SOLE_PERIODS_SPACES_RE = re.compile(r'[\s|.]+\Z')


def _bad(message):
    # Upstream answers these with a bare HTTPBadRequest explanation.
    return exceptions.InvalidShareAccess(message)


def _has_space_or_control(value):
    return any(ch.isspace() or unicodedata.category(ch)[0] == 'C'
               for ch in value)


def _ip(access_to, ipv6):
    if '%' in access_to:
        # ipaddress takes any text after "%" as an IPv6 scope id, such
        # as "fe80::1%x(rw,no_root_squash)"; no export client has one.
        raise _bad("'%s' does not appear to be an IPv4 or IPv6 network"
                   % access_to)
    try:
        if ipv6:
            ipaddress.ip_network(access_to)
        else:
            ipaddress.IPv4Network(access_to)
    except ValueError as exc:
        raise _bad(str(exc)) from None


def _user(access_to):
    if _SOLE_PERIODS_SPACES_RE.match(access_to):
        raise _bad('Invalid user or group name,cannot consist solely '
                   'of periods or spaces.')
    if not _USER_RE.match(access_to):
        raise _bad('Invalid user or group name. Must be 4-255 characters '
                   'and consist of alphanumeric characters and exclude '
                   'special characters "/\\[]:;|=,+*?<>')


def _cert(access_to):
    if not 0 < len(access_to) < 65:
        raise _bad('Invalid CN (common name). Must be 1-64 chars long.')


def _cephx(access_to):
    if not access_to:
        raise _bad('Ceph IDs may not be empty.')
    if not set(access_to) <= set(string.printable):
        raise _bad('Ceph IDs must consist of ASCII printable characters.')
    # Periods would make "client." prefixes ambiguous (upstream).
    if '.' in access_to:
        raise _bad('Ceph IDs may not contain periods.')


def validate(access_type, access_to, *, ipv6=True, cephx=True):
    """Raise InvalidShareAccess (400, upstream's bare message) unless
    ``access_to`` suits ``access_type``.

    ``ipv6`` and ``cephx`` say whether the request's microversion
    accepts IPv6 addresses (2.38) and the cephx type (2.13).
    """
    if access_type not in ('ip', 'user', 'cert') and not (
            access_type == 'cephx' and cephx):
        if cephx:
            raise _bad("Only 'ip', 'user', 'cert' or 'cephx' access types "
                       "are supported.")
        raise _bad("Only 'ip', 'user' or 'cert' access types are "
                   "supported.")
    if not isinstance(access_to, str):
        raise _bad('access_to must be a string.')
    check = {'ip': lambda value: _ip(value, ipv6), 'user': _user,
             'cert': _cert, 'cephx': _cephx}[access_type]
    if _has_space_or_control(access_to):
        # Upstream's own message for a blank name first (it stripped
        # a cert's CN and refused a user of only periods and spaces).
        if access_type == 'user' and _SOLE_PERIODS_SPACES_RE.match(
                access_to):
            _user(access_to)
        if access_type == 'cert' and not access_to.strip():
            _cert('')
        # Upstream took spaces inside user, cert and cephx values; here
        # a value is one token of an exports line, never more.
        raise _bad('access_to may not contain whitespace or control '
                   'characters.')
    check(access_to)
