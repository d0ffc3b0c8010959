"""Policies of resource locks (resource_lock:*), as upstream's defaults.

Locks belong to a user: lifting or changing one is for its owner (same
user in the same project), administrators and service users. Who may
lift a lock also depends on its ``lock_context`` (share/lock_api.py).
"""

from manila_lite.policies import base

NAME = 'resource_lock:%s'
LOCK = '/resource-locks/{lock_id}'

ADMIN_OR_SERVICE = '(%s) or role:service' % base.ADMIN
OWNER_USER = 'user_id:%(user_id)s and project_id:%(project_id)s'
ADMIN_OR_SERVICE_OR_PROJECT_READER = '(%s) or (%s)' % (ADMIN_OR_SERVICE,
                                                       base.PROJECT_READER)
ADMIN_OR_SERVICE_OR_PROJECT_MEMBER = '(%s) or (%s)' % (ADMIN_OR_SERVICE,
                                                       base.PROJECT_MEMBER)
ADMIN_OR_SERVICE_OR_OWNER_USER = '(%s) or (%s)' % (OWNER_USER,
                                                   ADMIN_OR_SERVICE)
LEGACY_ADMIN_OR_OWNER_USER = ('is_admin:True or project_id:%(project_id)s '
                              'and user_id:%(user_id)s')

rules = [
    base.rule(NAME % 'get', ADMIN_OR_SERVICE_OR_PROJECT_READER,
              'Get details of a given resource lock.', [('GET', LOCK)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', ADMIN_OR_SERVICE_OR_PROJECT_READER,
              'Get all resource locks.',
              [('GET', '/resource-locks'),
               ('GET', '/resource-locks?{query}')], base.RULE_DEFAULT),
    base.rule(NAME % 'get_all_projects', ADMIN_OR_SERVICE,
              'Get resource locks from all project namespaces.',
              [('GET', '/resource-locks?all_projects=1'),
               ('GET', '/resource-locks?all_projects=1&'
                       'project_id={project_id}')], base.RULE_ADMIN_API),
    base.rule(NAME % 'create', ADMIN_OR_SERVICE_OR_PROJECT_MEMBER,
              'Create a resource lock.', [('POST', '/resource-locks')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'update', ADMIN_OR_SERVICE_OR_OWNER_USER,
              'Update a resource lock.', [('PUT', LOCK)],
              LEGACY_ADMIN_OR_OWNER_USER),
    base.rule(NAME % 'delete', ADMIN_OR_SERVICE_OR_OWNER_USER,
              'Delete a resource lock.', [('DELETE', LOCK)],
              LEGACY_ADMIN_OR_OWNER_USER),
    # Without a bypass a lock's owner would have to lift the visibility
    # lock to see the rule it hides.
    base.rule(NAME % 'bypass_locked_show_action',
              ADMIN_OR_SERVICE_OR_OWNER_USER,
              'Bypass a visibility lock placed in a resource.',
              [('GET', '/share-access-rules/{share_access_id}'),
               ('GET', '/share-access-rules?share_id={share_id}'
                       '&key1=value1&key2=value2')],
              LEGACY_ADMIN_OR_OWNER_USER),
]


def list_rules():
    return rules
