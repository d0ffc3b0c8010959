"""Request bodies of the quota API.

The shape is bounded here (an object of at most a few dozen scalar
values); which keys a version accepts and what values mean is checked
by the handler with upstream's messages ("Bad key(s) ...").
"""

_VALUE = {'type': ['integer', 'string', 'boolean', 'null'],
          'maxLength': 255}
_SET = {
    'type': 'object',
    'maxProperties': 64,
    'propertyNames': {'maxLength': 255},
    'additionalProperties': _VALUE,
}

UPDATE = {
    'type': 'object',
    'properties': {'quota_set': _SET},
    'required': ['quota_set'],
    'additionalProperties': False,
}
CLASS_UPDATE = {
    'type': 'object',
    'properties': {'quota_class_set': _SET},
    'required': ['quota_class_set'],
    'additionalProperties': False,
}
