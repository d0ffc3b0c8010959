"""Hostile input: 10,000 generated requests across every route (wrong
types, huge and unicode strings, path traversal in ids and hosts,
duplicate keys, deep JSON, oversized bodies, bad versions and query
parameters). None may answer 5xx; every error is a Manila fault:
``{"<name>": {"code": <status>, "message": "..."}}``.

Examples are derandomized so CI runs the same 10,000 every time. The
long run (``tox -e fuzz``) sets ``MANILA_LITE_FUZZ_EXAMPLES`` (per
test) and draws fresh random examples instead."""

import json
import os
from urllib.parse import quote

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
import pytest

from manila_lite.api.controllers.v2 import ROUTES
from manila_lite.api.controllers.v2 import share_actions
from manila_lite.api.controllers.v2 import share_replicas

LONG = os.environ.get('MANILA_LITE_FUZZ_EXAMPLES')
# Per test; four tests make 10,000 requests by default.
EXAMPLES = int(LONG) if LONG else 2500


def fuzz_settings(examples):
    """Derandomized ``examples`` per test, unless the long run asks for
    fresh ones (tests/functional/test_fuzz_real_db.py uses it too)."""
    return settings(max_examples=int(LONG) if LONG else examples,
                    derandomize=not LONG, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


FUZZ = fuzz_settings(EXAMPLES)

HOSTILE = st.sampled_from([
    '', ' ', '..', '../../etc/passwd', '/etc/shadow', '%2e%2e%2f',
    'x' * 5000, '\u202e\u0000\ud7ff', 'ünïcødé-名前', '*', "' OR 1=1 --",
    'node1@local1#pool1', 'node1@local1#../../x', '@#', '\n', '{}', '[]',
    '00000000-0000-0000-0000-000000000000', 'null', 'true', '-1', '1e309',
])
TEXT = st.one_of(HOSTILE, st.text(max_size=300))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(),
                   st.floats(allow_nan=False), TEXT)
JSON = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(TEXT, inner, max_size=5)), max_leaves=20)
VERSION = st.one_of(st.sampled_from(['2.0', '2.6', '2.7', '2.11', '2.22',
                                     '2.29', '2.47', '2.55', '2.56', '2.67',
                                     '2.72', '2.75', '2.95', '2.98', '2.99']),
                    st.sampled_from(['', '2', '2.100', '3.0', '1.9', 'x.y',
                                     'latest', '02.1', '2.01']), TEXT,
                    st.none())
METHOD = st.sampled_from(['GET', 'POST', 'PUT', 'DELETE'])
NAMES = sorted(set(share_actions.ACTIONS) | set(share_replicas.ACTIONS))


def _paths():
    templates = ['/v2' + r.template for r in ROUTES]
    return st.builds(_fill, st.sampled_from(templates),
                     st.lists(TEXT, min_size=4, max_size=4))


def _fill(template, values):
    parts = template.split('/')
    out = []
    for part in parts:
        if part.startswith('{'):
            out.append(values[len(out) % 4].replace('/', '%2F')
                       .replace('?', '%3F').replace('#', '%23') or 'x')
        else:
            out.append(part)
    return '/'.join(out)


def check(resp):
    assert resp.status_int < 500, (resp.status, resp.body[:500])
    if resp.status_int >= 400:
        body = json.loads(resp.body)
        assert isinstance(body, dict) and len(body) == 1, resp.body[:300]
        (inner,) = body.values()
        assert inner['code'] == resp.status_int, resp.body[:300]
        assert isinstance(inner['message'], str)


def send(client, method, path, body=None, raw=None, version=None,
         headers=None):
    # As a client would send it: percent-encoded (hostile bytes stay).
    path = quote(path.encode('utf-8', 'surrogatepass'), safe='/?&=%@#~')
    resp = client(method, path, body, raw=raw, version=version,
                  headers=headers)
    check(resp)
    return resp


@pytest.fixture
def fuzz_client(client):
    return client


# Each fuzz test is its strategies (``*_ARGS``) and a body taking the
# ``fuzz_client`` fixture, so the real-database run can draw its own
# number of examples from the same ones.
JSON_BODIES_ARGS = dict(method=METHOD, path=_paths(), body=JSON,
                        version=VERSION)


def json_bodies(fuzz_client, method, path, body, version):
    send(fuzz_client, method, path, body=body if method in (
        'POST', 'PUT') else None, version=version)


ACTIONS_ARGS = dict(path=_paths(), name=st.sampled_from(NAMES), value=JSON,
                    version=VERSION, experimental=st.booleans())


def actions(fuzz_client, path, name, value, version, experimental):
    base = path.split('/action')[0].rstrip('/')
    headers = ({'X-OpenStack-Manila-API-Experimental': 'True'}
               if experimental else None)
    send(fuzz_client, 'POST', base + '/action', body={name: value},
         version=version, headers=headers)


test_json_bodies_on_every_route = FUZZ(given(**JSON_BODIES_ARGS)(
    json_bodies))
test_actions_with_hostile_values = FUZZ(given(**ACTIONS_ARGS)(actions))


@FUZZ
@given(path=_paths(), raw=st.one_of(
    st.binary(max_size=2000),
    st.integers(1, 200000).map(lambda n: b'[' * n),
    st.integers(1, 50000).map(lambda n: b'{"a":' * n + b'1' + b'}' * n),
    st.sampled_from([b'{"share": {"size": 1, "size": "x"}}',
                     b'{"share": 1, "share": {}}', b'\xff\xfe', b'null',
                     b'"string"', b'[]', b'{', b'{"a": NaN}',
                     b'{"a": Infinity}', b' ' * 200000,
                     b'{"x": "' + b'a' * 200000 + b'"}'])),
    method=st.sampled_from(['POST', 'PUT']))
def test_raw_and_oversized_bodies(fuzz_client, path, raw, method):
    send(fuzz_client, method, path, raw=raw, version='2.98')


#: Integers past every database's range, as query strings.
BIG_NUMBER = st.one_of(
    st.sampled_from([10 ** 30, 2 ** 31, 2 ** 31 - 1, 2 ** 63, -2 ** 63,
                     -1]),
    st.integers(min_value=-2 ** 80, max_value=2 ** 80)).map(str)
#: Python literals of any shape, as metadata filters are spelled
#: (``{(1, 2): 3}``, lists, numbers, nested dicts, sets, bytes).
_ATOM = st.one_of(st.none(), st.booleans(), st.integers(),
                  st.floats(allow_nan=False), st.text(max_size=8),
                  st.binary(max_size=4))
_KEY = st.one_of(st.text(max_size=8), st.integers(), st.booleans(),
                 st.tuples(st.integers(), st.integers()))
LITERAL = st.recursive(_ATOM, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.tuples(inner, inner),
    st.frozensets(st.integers(), max_size=3),
    st.dictionaries(_KEY, inner, max_size=3)), max_leaves=8).map(repr)
LISTS = st.sampled_from(['/v2/shares', '/v2/shares/detail',
                         '/v2/snapshots', '/v2/snapshots/detail',
                         '/v2/share-replicas', '/v2/share-replicas/detail',
                         '/v2/share-access-rules'])


QUERY_ARGS = dict(path=st.one_of(_paths(), LISTS), params=st.dictionaries(
    st.sampled_from(['limit', 'offset', 'sort_key', 'sort_dir', 'name',
                     'status', 'host', 'share_id', 'all_tenants',
                     'is_public', 'metadata', 'name~', 'with_count',
                     'export_location_path', 'binary', 'zone', 'state',
                     'ensuring', 'share_type', 'availability_zone', 'x']),
    st.one_of(TEXT, BIG_NUMBER, LITERAL), max_size=4), version=VERSION)


def query_parameters(fuzz_client, path, params, version):
    from urllib.parse import urlencode

    query = urlencode({k: v.encode('utf-8', 'surrogatepass')
                       for k, v in params.items()})
    send(fuzz_client, 'GET', path.split('?')[0] + '?' + query,
         version=version)


test_query_parameters = FUZZ(given(**QUERY_ARGS)(query_parameters))


@pytest.fixture
def live(fuzz_client, conf):
    """The app behind the real embedded server (waitress) on loopback."""
    import threading

    from manila_lite.api import server

    conf.set_override('osapi_share_listen_port', 0)
    srv = server.make_server(conf, fuzz_client.app)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    thread.join(10)


def _reply_status(port, data):
    import socket

    with socket.create_connection(('127.0.0.1', port), timeout=30) as sock:
        sock.sendall(data)
        head = b''
        while b'\r\n' not in head:
            chunk = sock.recv(4096)
            assert chunk, 'connection closed with no reply'
            head += chunk
    return int(head.split(b' ', 2)[1])


@settings(FUZZ, max_examples=min(EXAMPLES, 200))
@given(line=st.one_of(st.integers(0, 300),
                      st.integers(65536 - 300, 65536 + 300),
                      st.integers(65536 - 30, 65536 - 22),
                      st.integers(0, 200000)),
       header=st.one_of(st.integers(0, 300),
                        st.integers(262144 - 66000, 262144 + 300),
                        st.integers(262144 - 120, 262144 - 60),
                        st.integers(0, 400000)),
       pad=st.sampled_from([b'a', b'%', b'\xff', b'/', b'?']))
def test_request_line_and_header_sizes(live, line, header, pad):
    """Every size gets a reply: the app's, 414 or 431; never a 5xx nor
    a connection closed without one."""
    from manila_lite.api import server

    request_line = b'GET /v2/shares?x=' + pad * line + b' HTTP/1.1'
    fixed = (b'Host: x\r\nX-Auth-Token: admin:admin\r\n'
             b'Connection: close\r\n')
    headers = fixed
    if header:
        headers += b'X-Pad: ' + b'p' * header + b'\r\n'
    status = _reply_status(live.server_port,
                           request_line + b'\r\n' + headers + b'\r\n')
    assert status < 500
    if len(request_line) > server.MAX_REQUEST_LINE:   # CRLF not counted
        assert status == 414
    elif (len(request_line) + 2 + len(headers) + 2
          >= server.MAX_HEADER_BYTES):
        assert status == 431
    else:
        assert status not in (414, 431)
