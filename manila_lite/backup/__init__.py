"""Backup stores: where the data service keeps share backups.

A store is a stevedore plugin of the ``manila_lite.backup.stores``
namespace (upstream's ``backup_driver`` idea), chosen by the
``backup_driver`` option of the data service. ``get_store(conf)`` loads
the configured one; ``base.BackupStore`` is the whole contract.
"""

from stevedore import driver

NAMESPACE = 'manila_lite.backup.stores'


def get_store(conf, name=None):
    """The store plugin ``name`` (default: ``conf.backup_driver``)."""
    name = name or conf.backup_driver
    return driver.DriverManager(
        NAMESPACE, name, invoke_on_load=True,
        invoke_kwds={'conf': conf, 'name': name}).driver
