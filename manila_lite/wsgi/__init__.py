"""WSGI entry points for production WSGI servers (gunicorn, uwsgi).

``manila_lite.wsgi.api:application`` serves the v2 API; the embedded
server of ``manila-lite-api`` is not involved.
"""
