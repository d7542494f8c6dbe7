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
- ``PROMETHEUS_MULTIPROC_DIR``: a directory where every worker (and the task
  worker on the same host) writes its metrics, so that a scrape of /metrics
  adds them all up. Counts of processes gone stay in it, as counters should; a
  directory on tmpfs (``/run/...``) starts empty at each boot
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
# Logs to stdout, for the service manager to keep, one JSON object a line
# (cms/log_format.py), like the application's.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The access log: method, path without its query string (it may hold an e-mail
# address), status, bytes, milliseconds and the request id; not the client's
# address or user agent. The application logs the same request with its route.
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms %({x-request-id}o)s"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "serving.log_format.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    # gunicorn adds this to its own defaults key by key: each is whole here.
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "propagate": False},
    },
}


def child_exit(server, worker):
    """A worker gone: prometheus_client forgets its live-only values."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
