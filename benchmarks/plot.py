"""Draw the recorded figures: benchmarks/figures.png.

    python benchmarks/plot.py [--results benchmarks/results]
                              [--out benchmarks/figures.png]

Reads the JSON the benchmarks write with ``--json`` (``api.json`` from
api_bench.py, ``list.json`` from list_bench.py, ``ensure.json`` from
ensure_bench.py) and draws four panels: req/s and p99 latency of
manila_lite against upstream manila-api per request and concurrency,
list and show time against the number of shares, and ensure time
against the number of shares. Needs matplotlib
(``pip install -r benchmarks/requirements.txt``).
"""

import argparse
import json
import os

import matplotlib

matplotlib.use('Agg')
from matplotlib import pyplot  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def api_panels(axes, api):
    """Bars per (request, concurrency): req/s, and p99 latency."""
    keys = sorted({tuple(k.split('|')[1:]) for k in api
                   if k.count('|') == 2},
                  key=lambda k: (k[0], int(k[1])))
    labels = ['%s c=%s' % (name.replace('share list detail', 'list')
                           .replace('limit=100', '100'), c)
              for name, c in keys]
    systems = sorted({k.split('|')[0] for k in api if k.count('|') == 2},
                     key=lambda s: s != 'manila_lite')
    width = 0.8 / len(systems)
    for i, system in enumerate(systems):
        xs = [x + i * width for x in range(len(keys))]
        rps = [api['%s|%s|%s' % (system, n, c)]['rps'] for n, c in keys]
        p99 = [api['%s|%s|%s' % (system, n, c)]['p99'] or 0
               for n, c in keys]
        axes[0].bar(xs, rps, width, label=system)
        axes[1].bar(xs, p99, width, label=system)
    for ax, title in ((axes[0], 'requests per second (higher is better)'),
                      (axes[1], 'p99 latency, ms (lower is better)')):
        ax.set_title(title)
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(keys))])
        ax.set_xticklabels(labels, rotation=60, ha='right', fontsize=7)
        ax.legend(fontsize=8)
    axes[1].set_yscale('log')


def scale_panel(ax, listing, ensure):
    if listing:
        sizes = sorted(int(n) for n in listing)
        for name in listing[str(sizes[0])]:
            ax.plot(sizes, [listing[str(n)][name][0] for n in sizes],
                    marker='o', label='%s (ms)' % name)
    if ensure:
        sizes = sorted(int(n) for n in ensure)
        ax.plot(sizes, [ensure[str(n)] * 1000 / n for n in sizes],
                marker='s', label='ensure, ms per share')
    ax.set_xscale('log')
    ax.set_xlabel('shares in the database')
    ax.set_title('cost against the number of shares')
    ax.legend(fontsize=8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--results', default=os.path.join(HERE, 'results'))
    parser.add_argument('--out', default=os.path.join(HERE, 'figures.png'))
    args = parser.parse_args()
    api = load(args.results, 'api.json')
    listing = load(args.results, 'list.json')
    ensure = load(args.results, 'ensure.json')
    fig, axes = pyplot.subplots(1, 3, figsize=(17, 5.5))
    if api:
        api_panels(axes[:2], api)
    scale_panel(axes[2], listing, ensure)
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print('wrote %s' % args.out)


if __name__ == '__main__':
    main()
