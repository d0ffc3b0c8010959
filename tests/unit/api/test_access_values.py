"""allow_access validates ``access_to`` as upstream does, over the whole
value: no whitespace or control characters anywhere, since a rule is
one token of an exports line (issue 17, finding 3)."""

import pytest

from manila_lite.db import api as db_api
from tests.unit.api.conftest import fault
from tests.unit.api.test_access_metadata import _available_share

LATEST = '2.98'
SPACE = 'access_to may not contain whitespace or control characters.'
USER = ('Invalid user or group name. Must be 4-255 characters and '
        'consist of alphanumeric characters and exclude special '
        'characters "/\\[]:;|=,+*?<>')
CN = 'Invalid CN (common name). Must be 1-64 chars long.'


def _allow(client, share_id, access_type, access_to,
           version=LATEST):
    return client('POST', '/v2/shares/%s/action' % share_id,
                  {'allow_access': {'access_type': access_type,
                                    'access_to': access_to}},
                  version=version)


@pytest.fixture
def share_id(client, db, admin_ctx):
    return _available_share(db, admin_ctx)


@pytest.mark.parametrize('access_type,access_to,message', [
    # Accepted with 200 before: "$" matched before the newline, and
    # cert values were only measured.
    ('user', 'abcd\n', SPACE),
    ('cert', 'x *(rw,no_root_squash,insecure) y', SPACE),
    ('cert', 'line1\nline2', SPACE),
    ('user', 'line1\nline2', SPACE),
    ('ip', 'line1\nline2', SPACE),
    ('ip', '10.0.0.1\n', SPACE),
    ('ip', '10.0.0.1 *(rw)', SPACE),
    ('cephx', 'alice\n', SPACE),
    ('cephx', 'alice bob', SPACE),
    ('user', 'john doe', SPACE),
    ('user', 'abcd\r', SPACE),
    # A NUL is refused for the whole body, before the access checks.
    ('user', 'ab\x00cd', 'Invalid input received: a string of the body '
                         'contains a NUL character'),
    ('cert', 'client.com\t', SPACE),
    ('user', 'abc\u2028d', SPACE),
    ('cert', 'x\u200bx', SPACE),
    ('user', 'abcd\x7f', SPACE),
    # Upstream's own checks and messages.
    ('user', 'try+', USER),
    ('user', 'abc', USER),
    ('user', 'ab;cd', USER),
    ('user', '....', 'Invalid user or group name,cannot consist solely '
                     'of periods or spaces.'),
    ('user', '    ', 'Invalid user or group name,cannot consist solely '
                     'of periods or spaces.'),
    ('cert', ' ', CN),
    ('cert', 'a' * 65, CN),
    ('cephx', 'jane.doe', 'Ceph IDs may not contain periods.'),
    ('cephx', 'bj\u00f6rn',
     'Ceph IDs must consist of ASCII printable characters.'),
    ('ip', '1.2.3.256', "'1.2.3.256' does not appear to be an IPv4 or "
                        "IPv6 network"),
    ('ip', '1.2.3.4/33', "'1.2.3.4/33' does not appear to be an IPv4 or "
                         "IPv6 network"),
    ('ip', '10.0.0.1/24', '10.0.0.1/24 has host bits set'),
    ('ip', 'fe80::1%x(rw,no_root_squash)',
     "'fe80::1%x(rw,no_root_squash)' does not appear to be an IPv4 or "
     "IPv6 network"),
    ('carrier-pigeon', 'x',
     "Only 'ip', 'user', 'cert' or 'cephx' access types are supported."),
])
def test_bad_access_to_is_400_and_stores_nothing(client, db, admin_ctx,  # noqa
                                                 share_id, access_type,
                                                 access_to, message):
    resp = _allow(client, share_id, access_type, access_to)
    assert resp.status_int == 400, resp.body
    assert fault(resp) == ('badRequest', 400, message)
    assert db_api.access_get_all_by_share(admin_ctx, share_id) == []


@pytest.mark.parametrize('bad', ['1.2.3.256', '1.1.1.-', '1.2.3.4/33',
                                 '1.2.3.*', '1.2.3.*/23', '1.2.3.1|23',
                                 '1.2.3.1/-1', '1.2.3.1/',
                                 'ad80::abaa:0:c2:2/-3', 'AD80:ABAA::|26',
                                 '2001:DB8:2de:0:0:0:0:e13:200a'])
def test_tempest_wrong_ip_targets_are_400(client, share_id, bad):  # noqa
    assert _allow(client, share_id, 'ip', bad).status_int == 400


@pytest.mark.parametrize('access_type,access_to', [
    ('ip', '10.0.0.1'), ('ip', '203.0.113.0/24'), ('ip', '0.0.0.0/0'),
    ('ip', '2001:db8::/32'), ('ip', 'fd8c:b029:bba6:ac54::1'),
    ('user', 'fakeuser'), ('user', 'a' * 255),
    ('user', 'jane.doe@example'), ('cert', 'client1.com'), ('cert', 'a' * 64),
    ('cephx', 'alice'), ('cephx', 'alice_bob'), ('cephx', 'x' * 99),
])
def test_good_access_to_is_stored_as_given(client, db, admin_ctx,  # noqa
                                           share_id, access_type,
                                           access_to):
    resp = _allow(client, share_id, access_type, access_to)
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['access']['access_to'] == access_to
    (rule,) = db_api.access_get_all_by_share(admin_ctx, share_id)
    assert rule.access_to == access_to


def test_ipv6_needs_2_38_and_cephx_2_13(client, share_id):
    resp = _allow(client, share_id, 'ip', '2001:db8::1', version='2.37')
    assert resp.status_int == 400, resp.body
    assert 'Expected 4 octets' in fault(resp)[2]
    resp = _allow(client, share_id, 'cephx', 'alice', version='2.12')
    assert fault(resp) == ('badRequest', 400, "Only 'ip', 'user' or 'cert' "
                                              "access types are supported.")
    assert _allow(client, share_id, 'ip', '2001:db8::1',
                  version='2.38').status_int == 200
    assert _allow(client, share_id, 'cephx', 'alice',
                  version='2.13').status_int == 200
