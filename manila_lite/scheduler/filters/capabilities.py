"""Keep pools whose capabilities satisfy the share type's extra specs.

Unscoped keys and ``capabilities:`` keys are compared with the pool's
capabilities; other scopes (``provisioning:``, ...) and keys handled by
other filters are ignored. A key the pool does not report fails, as
upstream's filter does. Values understand upstream's operators:
``<is> True``, ``<in> x``, ``<or> a <or> b``, and plain equality
(case-insensitive for booleans).
"""

#: Extra specs that describe the share, not the backend.
_NOT_CAPABILITIES = frozenset({
    'availability_zones', 'share_type_description',
})


def _normalize(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return ''
    return str(value).strip().lower()


def matches(capability, requirement):
    req = str(requirement).strip()
    if req.startswith('<is>'):
        return _normalize(capability) == _normalize(req[4:])
    if req.startswith('<in>'):
        return req[4:].strip().lower() in _normalize(capability)
    if req.startswith('<or>'):
        options = [o.strip().lower() for o in req.split('<or>') if o.strip()]
        return _normalize(capability) in options
    if isinstance(capability, (list, tuple)):
        return _normalize(req) in {_normalize(c) for c in capability}
    if _normalize(req) == _normalize(capability):
        return True
    # A backend offering several replication styles lists them spaced.
    return _normalize(req) in _normalize(capability).split()


def passes(pool, spec):
    caps = pool.capabilities
    for key, value in (spec.get('extra_specs') or {}).items():
        scope, sep, name = key.partition(':')
        if sep:
            if scope != 'capabilities':
                continue
            key = name
        if key in _NOT_CAPABILITIES:
            continue
        if key not in caps or not matches(caps[key], value):
            return False
    return True
