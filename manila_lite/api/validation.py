"""Request body validation with jsonschema, picked by microversion.

A resource's schemas for one body form a :class:`Schemas` set: each
covers a version range, and the set refuses gaps and overlaps when it
is built (so a new microversion cannot silently leave a hole).
Violations are 400 ``badRequest`` with a message naming the field.
"""

import jsonschema
from jsonschema import validators

from manila_lite.api import microversion
from manila_lite.common import exceptions

_FORMAT_CHECKER = jsonschema.FormatChecker()


def _next(version):
    return microversion.parse('%d.%d' % (version.major, version.minor + 1))


class Schemas:
    """``[(min_version, schema), ...]``: each holds until the next one.

    The last schema holds up to ``max_version`` (default: the API's
    maximum); nothing below the first ``min_version`` validates (the
    handler's own range should start there too).
    """

    def __init__(self, *entries, max_version=None):
        if not entries:
            raise ValueError('a Schemas set needs at least one schema')
        top = (microversion.parse(max_version) if max_version
               else microversion.MAX_VERSION)
        parsed = [(microversion.parse(v), s) for v, s in entries]
        self._ranges = []
        for i, (start, schema) in enumerate(parsed):
            if i + 1 < len(parsed):
                nxt = parsed[i + 1][0]
                if nxt <= start:
                    raise ValueError('schema versions overlap or are out '
                                     'of order at %s' % (nxt,))
                end = microversion.parse('%d.%d' % (nxt.major,
                                                    nxt.minor - 1))
            else:
                end = top
            if end < start:
                raise ValueError('empty schema range at %s' % (start,))
            validators.validator_for(schema).check_schema(schema)
            self._ranges.append((start, end, schema))
        # Gap-free by construction; assert it to guard later edits.
        pairs = zip(self._ranges, self._ranges[1:], strict=False)
        for (_s, end, _x), (start, _e, _y) in pairs:
            if _next(end) != start:
                raise ValueError('gap in schema versions after %s' % (end,))

    def pick(self, req_version):
        version = getattr(req_version, 'version', req_version)
        for start, end, schema in self._ranges:
            if start <= version <= end:
                return schema
        raise exceptions.VersionNotFoundForAPIMethod()


def _describe(error):
    path = '/'.join(str(p) for p in error.absolute_path)
    if error.validator == 'additionalProperties':
        return error.message
    if error.validator == 'required':
        return error.message
    if path:
        return ('Invalid input for field/attribute %s. Value: %s. %s'
                % (path, error.instance, error.message))
    return error.message


def validate(body, schemas, req_version=None):
    """Check ``body`` against the schema for ``req_version``.

    ``schemas`` is a :class:`Schemas` or a single schema dict.
    :raises: InvalidInput (400)
    """
    schema = (schemas.pick(req_version) if isinstance(schemas, Schemas)
              else schemas)
    validator_cls = validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=_FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise exceptions.InvalidInput(reason=_describe(error))
    return body


# --- reusable parameter types ------------------------------------------------
boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes', 'y', 't',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no', 'n', 'f'],
}
name = {'type': ['string', 'null'], 'maxLength': 255}
description = {'type': ['string', 'null'], 'maxLength': 255}
uuid_or_null = {'type': ['string', 'null'], 'maxLength': 255}
# Upstream accepts integers and strings of digits ("1") for sizes.
positive_integer = {
    'type': ['integer', 'string'],
    'pattern': r'^[1-9][0-9]*$',
    'minimum': 1,
    'minLength': 1,
}
metadata = {
    'type': ['object', 'null'],
    'patternProperties': {
        '^.{1,255}$': {'type': 'string', 'maxLength': 1023},
    },
    'additionalProperties': False,
}


def to_bool(value):
    """A schema-checked boolean-like value as a bool."""
    if isinstance(value, bool):
        return value
    return str(value).lower() in ('true', '1', 'on', 'yes', 'y', 't')


def to_int(value):
    return int(value)
