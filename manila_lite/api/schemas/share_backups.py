"""Request bodies of the share backups API (2.80+)."""

from manila_lite.api import validation as v

_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
#: Upstream's free-form options; bounded (keys, values small scalars).
_OPTIONS = {
    'type': ['object', 'null'],
    'maxProperties': 64,
    'patternProperties': {
        '^.{1,255}$': {'type': ['string', 'boolean', 'integer', 'null'],
                       'maxLength': 1023},
    },
    'additionalProperties': False,
}


def _body(properties, required=()):
    return {
        'type': 'object',
        'properties': {
            'share_backup': {
                'type': 'object',
                'properties': properties,
                'required': list(required),
                'additionalProperties': False,
            },
        },
        'required': ['share_backup'],
        'additionalProperties': False,
    }


CREATE = v.Schemas(('2.80', _body({
    'share_id': _ID, 'name': v.name, 'description': v.description,
    'backup_options': _OPTIONS}, required=['share_id'])))
UPDATE = v.Schemas(('2.80', _body({'name': v.name,
                                   'description': v.description})))

RESTORE = v.Schemas(
    ('2.80', {'type': 'object', 'properties': {'restore': {
        'type': ['null', 'object'], 'additionalProperties': False}}}),
    # A target share: python-manilaclient sends its id as the value;
    # an object naming it is accepted too.
    ('2.91', {'type': 'object', 'properties': {'restore': {
        'type': ['null', 'string', 'object'], 'minLength': 1,
        'maxLength': 255,
        'properties': {'target_share_id': _ID},
        'additionalProperties': False}}}),
)
RESET_STATUS = {'type': 'object', 'properties': {'reset_status': {
    'type': 'object',
    'properties': {'status': {'type': 'string', 'maxLength': 255}},
    'required': ['status'], 'additionalProperties': False}}}
