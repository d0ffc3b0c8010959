"""Policy enforcement for the API: one oslo.policy Enforcer per config.

Controllers call :func:`authorize` once per request, before any lookup
(so a denial never leaks whether a resource exists). The in-code
defaults come from ``manila_lite.policies``; ``policy.yaml`` (the
``[oslo_policy]`` options) overrides them. :func:`get_enforcer` is the
``oslo.policy.enforcer`` entry point for oslopolicy-checker and the
sample generator.
"""

from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from manila_lite import policies
from manila_lite.common import exceptions

_ENFORCERS: dict[int, policy.Enforcer] = {}


def _set_defaults(conf):
    # Upstream Manila enforces the new (role + project) defaults.
    policy_opts.set_defaults(conf, enforce_scope=True,
                             enforce_new_defaults=True)


def build_enforcer(conf):
    """The Enforcer for ``conf`` with every in-code default registered."""
    enforcer = _ENFORCERS.get(id(conf))
    if enforcer is None or enforcer.conf is not conf:
        _set_defaults(conf)
        enforcer = policy.Enforcer(conf)
        enforcer.register_defaults(policies.list_rules())
        _ENFORCERS[id(conf)] = enforcer
    return enforcer


def get_enforcer():
    """Entry point for oslo.policy's command line tools."""
    conf = cfg.CONF
    # The tools parse their own command line; ours must stay empty.
    conf([], project='manila-lite')
    return build_enforcer(conf)


def default_target(ctx):
    return {'project_id': ctx.project_id, 'user_id': ctx.user_id}


def authorize(conf, ctx, action, target=None, *, do_raise=True):
    """Check ``action`` for ``ctx``; PolicyNotAuthorized (403) if denied."""
    enforcer = build_enforcer(conf)
    target = target or default_target(ctx)
    return enforcer.authorize(
        action, target, ctx, do_raise=do_raise,
        exc=exceptions.PolicyNotAuthorized, action=action)


def check_is_host_admin(conf, ctx):
    """Whether ``ctx`` may see back-end details (``host``)."""
    return authorize(conf, ctx, 'context_is_host_admin', do_raise=False)
