"""manila_lite: a small, Manila-compatible shared file systems service.

oslo.messaging imports oslo.service, whose default backend is eventlet.
Choosing oslo.service's threading backend here, before anything imports
oslo.messaging, keeps eventlet out of every manila_lite process.
"""

from oslo_service import backend as _service_backend

if _service_backend.get_backend_type() is None:
    _service_backend.init_backend(_service_backend.BackendType.THREADING)
