"""The plugin's copy job view: units, the time left, missing figures."""

from manila_lite.osc.v1 import jobs


def test_human_units():
    assert jobs.human(0) == '0 B'
    assert jobs.human(1023) == '1023 B'
    assert jobs.human(20480) == '20.0 KiB'
    assert jobs.human(3 * 1024 ** 3) == '3.0 GiB'
    assert jobs.human(None) == '0 B'


def test_eta_from_rate():
    assert jobs.eta({'bytes_total': 1000, 'bytes_done': 400,
                     'rate_bytes_per_second': 200.0}) == 3
    assert jobs.eta({'bytes_total': 1000, 'bytes_done': 400,
                     'rate_bytes_per_second': 0}) is None
    assert jobs.eta({}) is None


def test_describe_a_running_copy():
    rows = jobs.describe({
        'task_state': 'data_copying_in_progress', 'total_progress': 40,
        'details': {'bytes_done': 4096, 'bytes_total': 10240,
                    'files_done': 4, 'files_total': 10,
                    'rate_bytes_per_second': 2048.0,
                    'current_file_path': 'd1/f4'}})
    assert rows == {
        'task_state': 'data_copying_in_progress', 'total_progress': '40%',
        'bytes': '4.0 KiB / 10.0 KiB', 'files': '4 / 10',
        'rate': '2.0 KiB/s', 'eta_seconds': 3, 'current_file': 'd1/f4'}


def test_describe_without_details():
    rows = jobs.describe({'task_state': 'migration_driver_in_progress',
                          'total_progress': 10, 'details': {}})
    assert rows['files'] == '0 / 0' and rows['eta_seconds'] == ''


def test_passes_of_a_writable_migration():
    from manila_lite.osc.v1 import wait

    assert wait.passes({}) == ''
    assert wait.passes({'pass': 1, 'final_pass': False}) == 'pass 1'
    assert wait.passes({
        'pass': 3, 'final_pass': False, 'bytes_changed_last_pass': 12288,
        'files_changed_last_pass': 4,
        'estimated_final_window_seconds': 0.214}) == (
        'pass 3; last pass changed 4 files, 12.0 KiB; final window ~0.21 s')
    assert wait.passes({'pass': 4, 'final_pass': True,
                        'readonly_seconds': 1.2}) == (
        'final pass 4; read-only for 1.20 s')
    assert wait.passes({'pass': 4, 'final_pass': True,
                        'final_window_seconds': 1.234}) == (
        'final pass 4; read-only window 1.23 s')
