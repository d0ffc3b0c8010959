"""Where the deployment under test is, from the environment.

With Keystone::

    MANILA_API_AUTH_URL        Keystone v3, e.g. http://ks:5000/v3
    MANILA_API_<ROLE>_USER     ROLE: ADMIN, MEMBER, READER (project A's
    MANILA_API_<ROLE>_PASSWORD   reader), ALT (a member of another
    MANILA_API_<ROLE>_PROJECT    project)
    MANILA_API_DOMAIN          user and project domain id (default)

The share endpoint comes from the catalog (service type ``sharev2``)
unless ``MANILA_API_URL`` names it (the root, without ``/v2``).

Without Keystone (``auth_strategy = noauth``): only ``MANILA_API_URL``;
the tokens are ``user:project`` and ``X-Roles`` narrows the roles.

Optional for both:

    MANILA_API_MIGRATION_HOST  destination host@backend#pool (default:
                               the same pool on another backend)
    MANILA_API_REPLICA_ZONE    zone for new replicas (default: a zone
                               other than the share's)
    MANILA_API_TIMEOUT         seconds a waiter waits (default 120)
"""

import dataclasses
import os

ROLES = ('admin', 'member', 'reader', 'alt')


@dataclasses.dataclass
class Credentials:
    user: str
    password: str = ''
    project: str = ''
    roles: str = None      # noauth only: the X-Roles header


@dataclasses.dataclass
class Config:
    url: str = None
    auth_url: str = None
    domain: str = 'default'
    credentials: dict = dataclasses.field(default_factory=dict)
    migration_host: str = None
    replica_zone: str = None
    timeout: float = 120.0


NOAUTH = {
    'admin': Credentials('admin', project='admin'),
    'member': Credentials('api-member', project='api-project',
                          roles='member,reader'),
    'reader': Credentials('api-reader', project='api-project',
                          roles='reader'),
    'alt': Credentials('api-alt', project='api-alt-project',
                       roles='member,reader'),
}


def from_environ(env=os.environ):
    """The configuration the environment gives, or None if it names no
    deployment."""
    if not env.get('MANILA_API_URL') and not env.get('MANILA_API_AUTH_URL'):
        return None
    config = Config(
        url=env.get('MANILA_API_URL'),
        auth_url=env.get('MANILA_API_AUTH_URL'),
        domain=env.get('MANILA_API_DOMAIN', 'default'),
        migration_host=env.get('MANILA_API_MIGRATION_HOST'),
        replica_zone=env.get('MANILA_API_REPLICA_ZONE'),
        timeout=float(env.get('MANILA_API_TIMEOUT', 120)))
    if config.auth_url:
        for role in ROLES:
            key = 'MANILA_API_%s_' % role.upper()
            config.credentials[role] = Credentials(
                env[key + 'USER'], env[key + 'PASSWORD'],
                env[key + 'PROJECT'])
    else:
        config.credentials = dict(NOAUTH)
    return config
