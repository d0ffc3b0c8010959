"""Pool representations of /scheduler-stats/pools: the same at every
version; the detail list adds each pool's capabilities."""

_SUMMARY = ('name', 'host', 'backend', 'pool')


def index(pools):
    return {'pools': [{k: p[k] for k in _SUMMARY} for p in pools]}


def detail(pools):
    return {'pools': [dict({k: p[k] for k in _SUMMARY},
                           capabilities=p['capabilities'])
                      for p in pools]}
