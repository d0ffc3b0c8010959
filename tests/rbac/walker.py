"""Walk the RBAC matrix (matrix.yaml) against any deployment.

Interface, for in-process tests and for a real Keystone alike::

    failures = walk(load(), call, fixtures)

``call(role, method, path, body, version)`` sends one request as
``role`` (one of ROLES) and returns ``(status, parsed JSON or None)``;
``fixtures()`` creates a fresh set of project A's resources and returns
the values for the ``{placeholders}`` of the matrix (``share_id``,
``snapshot_id``, ``access_id``, ``export_location_id``,
``share_type_id``, ``replica_id``, ``node`` (the share service's host
before ``@``), ``replica_export_location_id``,
``metadata_key``, ``spec_key``, ``message_id``, ``share_instance_id``,
``snapshot_instance_id``, ``lock_id``, ``project_id``); a
fresh set per call keeps a delete from spoiling the next row.
``failures`` lists ``(row, role, expected, got, status, body)``.
"""

import os
import uuid

import yaml

ROLES = ('admin', 'member', 'reader', 'other', 'anonymous')
POLICY_DENIAL = "Policy doesn't allow"
MATRIX = os.path.join(os.path.dirname(__file__), 'matrix.yaml')


def load(path=MATRIX):
    with open(path) as f:
        return yaml.safe_load(f)


def fill(value, names):
    """``value`` with every ``{name}`` in its strings replaced."""
    if isinstance(value, str):
        for key, text in names.items():
            value = value.replace('{%s}' % key, str(text))
        return value
    if isinstance(value, dict):
        return {fill(k, names): fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return value


def outcome(status, body):
    """What a reply says about authorization: 401, 403 (a policy
    denial), 404 (hidden), or ok."""
    if status == 401:
        return '401'
    if status == 404:
        return '404'
    if status == 403 and body and POLICY_DENIAL in str(body):
        return '403'
    return 'ok'


def walk(matrix, call, fixtures):
    failures = []
    for row in matrix:
        for role, expected in zip(ROLES, row['expect'], strict=True):
            names = dict(fixtures(), unique='rbac-%s' % uuid.uuid4().hex[:8])
            extra = {}
            if row.get('experimental'):
                # Calls upstream serves as experimental (share backups).
                extra['headers'] = {
                    'X-OpenStack-Manila-API-Experimental': 'True'}
            status, body = call(role, row['method'], fill(row['path'], names),
                                fill(row.get('body'), names),
                                row.get('version', '2.98'), **extra)
            got = outcome(status, body)
            if got != str(expected):
                failures.append((row['method'] + ' ' + row['path'] + (
                    ' ' + row['action'] if 'action' in row else ''),
                    role, str(expected), got, status, body))
    return failures
