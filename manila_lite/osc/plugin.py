"""OpenStackClient plugin of manila_lite (``openstack.cli.extension``).

Its commands (``openstack share migration wait``, ``openstack share
migration job show``, ``openstack share replica wait``) add what
python-manilaclient lacks; they talk to the
API through python-manilaclient's client, which OSC builds for the
``share`` service, so they need no client of their own:
``make_client`` only hands that one over.
"""

DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_manila_lite_api_version'
API_NAME = 'manila_lite'
API_VERSIONS = {'1': 'manila_lite.osc.plugin'}


def make_client(instance):
    return instance.share


def build_option_parser(parser):
    return parser
