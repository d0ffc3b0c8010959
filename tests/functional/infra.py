"""Reach the real RabbitMQ, MariaDB, PostgreSQL and Redis of this
machine.

Locally a missing component skips the tests that need it; under
``CI=true`` it fails them, so CI can never pass by skipping.
"""

import os
import socket
import uuid

import pytest

RABBIT = ('127.0.0.1', 5672)
MARIADB = ('127.0.0.1', 3306)
POSTGRES = ('127.0.0.1', 5432)
REDIS = ('127.0.0.1', 6379)


def reachable(addr):
    try:
        with socket.create_connection(addr, timeout=2):
            return True
    except OSError:
        return False


def require(name, addr):
    if reachable(addr):
        return
    message = '%s is not reachable at %s:%s' % ((name,) + addr)
    if os.environ.get('CI', '').lower() == 'true':
        pytest.fail(message)
    pytest.skip(message)


def redis_url():
    """tooz's URL of the machine's Redis (the share services' locks)."""
    require('Redis', REDIS)
    return 'redis://%s:%d' % REDIS


def rabbit_url():
    require('RabbitMQ', RABBIT)
    return 'rabbit://guest:guest@%s:%s/' % RABBIT


class TempDatabase:
    """A throwaway database on MariaDB or PostgreSQL."""

    def __init__(self, kind):
        self.kind = kind
        self.name = 'manila_lite_test_%s' % uuid.uuid4().hex[:12]

    def create(self):
        if self.kind == 'mysql':
            require('MariaDB', MARIADB)
            import pymysql
            conn = pymysql.connect(host=MARIADB[0], port=MARIADB[1],
                                   user='root', autocommit=True)
            with conn.cursor() as cur:
                cur.execute('CREATE DATABASE %s CHARACTER SET utf8mb4'
                            % self.name)
            conn.close()
            return ('mysql+pymysql://root@%s:%s/%s?charset=utf8mb4'
                    % (MARIADB + (self.name,)))
        require('PostgreSQL', POSTGRES)
        import psycopg2
        conn = psycopg2.connect(host=POSTGRES[0], port=POSTGRES[1],
                                user='postgres', dbname='postgres')
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute('CREATE DATABASE %s' % self.name)
        conn.close()
        return ('postgresql+psycopg2://postgres@%s:%s/%s'
                % (POSTGRES + (self.name,)))

    def drop(self):
        try:
            if self.kind == 'mysql':
                import pymysql
                conn = pymysql.connect(host=MARIADB[0], port=MARIADB[1],
                                       user='root', autocommit=True)
                with conn.cursor() as cur:
                    cur.execute('DROP DATABASE IF EXISTS %s' % self.name)
                conn.close()
            else:
                import psycopg2
                conn = psycopg2.connect(host=POSTGRES[0], port=POSTGRES[1],
                                        user='postgres', dbname='postgres')
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)'
                                % self.name)
                conn.close()
        except Exception:  # noqa: BLE001 - cleanup must not mask results
            pass
