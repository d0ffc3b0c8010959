"""The machinery of manila_lite's state machines: an event table maps
each named event to ``Event(sources, targets)``; ``common/states.py``
holds the tables, ``db/transition.py`` applies them.
"""


ANY = '*'


class Event(tuple):
    """``(sources, targets)``: the states an event may start from and
    those it may end in (one, except for resets and roll-backs)."""
    __slots__ = ()

    def __new__(cls, sources, targets):
        def norm(value):
            return value if value == ANY else frozenset(value)
        return super().__new__(cls, (norm(sources), norm(targets)))

    @property
    def sources(self):
        return self[0]

    @property
    def targets(self):
        return self[1]


def next_table(events):
    """``{state: {states reachable in one event}}`` of an event table
    (events from or to ``ANY`` left out): the graph doc/ draws."""
    table = {}
    for event in events.values():
        if event.sources == ANY or event.targets == ANY:
            continue
        for old in event.sources:
            table.setdefault(old, set()).update(event.targets)
    return table


def sources_of(table, new):
    """Every state from which ``table`` allows a move to ``new``."""
    return {old for old, nxt in table.items() if new in nxt}


def event_for(events, new, sources):
    """The name of an event of ``events`` that may move a row from
    every one of ``sources`` to ``new`` (events with ``ANY`` targets
    must be named); None when the table has none."""
    for name, event in sorted(events.items()):
        if event.targets == ANY or new not in event.targets:
            continue
        if event.sources == ANY or set(sources) <= event.sources:
            return name
    return None
