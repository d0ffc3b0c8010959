"""A subunit v2 stream on stdin as JSON on stdout.

``{test id: {"status": ..., "reason": ...}}``, the reason being the
last line of a failure's traceback with the ``Details:`` line tempest
adds. Run by the tempest virtualenv's interpreter (it has subunit and
testtools; manila_lite's does not), from tests/tempest/run.py.
"""

import json
import sys

import subunit
import testtools


def _reason(details):
    content = details.get('traceback')
    if content is None:
        return ''
    text = b''.join(bytes(part) for part in content.iter_bytes()).decode(
        'utf-8', 'replace')
    lines = [line.strip() for line in text.strip().splitlines()
             if line.strip()]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith('Details:') and i:
            return '%s %s' % (lines[i - 1], lines[i])
    return lines[-1] if lines else ''


def main():
    results = {}

    def on_test(test):
        entry = {'status': test['status'], 'reason': ''}
        if test['status'] in ('fail', 'uxsuccess'):
            entry['reason'] = _reason(test['details'])[:500]
        previous = results.get(test['id'])
        # A test reported twice keeps its failure.
        if previous is None or previous['status'] != 'fail':
            results[test['id']] = entry

    stream = subunit.ByteStreamToStreamResult(
        sys.stdin.buffer, non_subunit_name='stdout')
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    try:
        stream.run(result)
    finally:
        result.stopTestRun()
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()
