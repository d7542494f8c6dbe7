"""The production web server's settings: ``gunicorn -c gunicorn.conf.py cms.wsgi``.

Threaded workers (gthread): a sync worker serves one connection at a time, so a
few clients sending their headers slowly held every worker and nobody else got
an answer until the timeout. With threads, such a client holds one thread of one
worker; the others serve everyone else. Put a buffering reverse proxy (nginx, a
load balancer) in front all the same: it absorbs slow clients whatever their number.

Every value can be set from the environment:

- ``BIND``: address to listen on (default ``127.0.0.1:$PORT``; ``0.0.0.0:8000``
  when the load balancer is on another host)
- ``PORT``: port when ``BIND`` is not set (default 8000)
- ``WEB_CONCURRENCY``: worker processes (default 2; about one per core)
- ``GUNICORN_THREADS``: threads per worker (default 8)
- ``GUNICORN_TIMEOUT``: seconds before a stuck worker is restarted (default 30)
"""

import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# gunicorn 27 otherwise opens a control socket in the home directory.
control_socket_disable = True
# Logs to stderr, for the service manager to keep.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
