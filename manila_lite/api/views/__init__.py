"""Response builders, one module per resource.

A view starts from the representation at the minimum version and
applies, in order, the modifiers whose version the request reaches
(``VersionedView``): each modifier is tagged with the gate that added
its fields, so the module reads as the field changelog. Views read only
what they are handed; the only policy they consult is whether the
caller may see back-end details (``host``).
"""

from manila_lite.api import microversion


def isotime(value):
    """Upstream's naive ISO-8601 with microseconds, or None."""
    if value is None:
        return None
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f')


def since(gate):
    """Tag a modifier method with the version that introduced it."""
    def decorator(func):
        func.since = gate
        return func
    return decorator


def until(gate):
    """Tag a modifier applied only *below* ``gate`` (fields removed)."""
    def decorator(func):
        func.until = gate
        return func
    return decorator


class VersionedView:
    """Runs the tagged modifiers of a subclass in definition order."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._modifiers = [
            f for f in cls.__dict__.values()
            if callable(f) and (hasattr(f, 'since') or hasattr(f, 'until'))]
        # {version: the modifiers it reaches}, filled on first use: a
        # list of 1,000 shares asks once, not once per share.
        cls._plans = {}

    @classmethod
    def _plan(cls, version):
        plan = cls._plans.get(version)
        if plan is None:
            plan = cls._plans[version] = [
                func for func in cls._modifiers
                if (not hasattr(func, 'since') or version >= func.since)
                and (not hasattr(func, 'until') or version < func.until)]
        return plan

    def apply(self, req, view, resource):
        for func in self._plan(req.version):
            func(self, req, view, resource)
        return view


__all__ = ['VersionedView', 'isotime', 'microversion', 'since', 'until']
