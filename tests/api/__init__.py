"""Black-box API tests, written the way tempest writes them.

They talk to a deployment only over HTTP, configured by environment
variables (tests/api/config.py lists them); with none set, the test
session starts a multi-process deployment of its own on the machine's
RabbitMQ and MariaDB, behind a real Keystone, and runs against that.

Layout follows tempest's manila plugin: ``clients`` (one method per
call), ``waiters`` (poll with a deadline), ``base`` (credentials per
role, resource helpers that register their cleanup), and a positive and
a negative module per feature.
"""
