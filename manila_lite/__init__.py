"""manila_lite: a small, Manila-compatible shared file systems service.

oslo.messaging imports oslo.service, whose default backend is eventlet.
Choosing oslo.service's threading backend here, before anything imports
oslo.messaging, keeps eventlet's hub out of every manila_lite process.

eventlet stays installed (oslo.service depends on it), and libraries
such as futurist import it merely to learn whether it is there, which
costs about 150 ms and prints eventlet's deprecation warning in every
service and every ``openstack`` command that loads our plugin. Unless
the process already imported it, ``import eventlet`` now fails as if
it were not installed, so those libraries take their threading paths.
"""

import sys

from oslo_service import backend as _service_backend

if 'eventlet' not in sys.modules:
    sys.modules['eventlet'] = None  # type: ignore[assignment]

if _service_backend.get_backend_type() is None:
    _service_backend.init_backend(_service_backend.BackendType.THREADING)
