"""What the benchmark and the soak test both do: run the production web server
on 127.0.0.1.

A free port, the production environment, ``migrate`` + the seed +
``collectstatic``, the production command (``gunicorn -c gunicorn.conf.py``) and
waiting until it answers. The static files are collected into a directory of
the caller's own (``STATIC_ROOT``), never the project's ``./staticfiles``, which a
test run going on at the same time may be reading. Every process is started in
its own session and stopped by its process group, nothing else.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


def free_port():
    """A port nothing listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def production_environment(name, static_root, inherited=None):
    """``inherited`` (default: this process's environment) with the production
    settings, the secrets of a throwaway run called ``name`` and the private
    ``STATIC_ROOT``."""
    env = dict(os.environ if inherited is None else inherited)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=f"{name}-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALTCHA_HMAC_SECRET=f"{name}-only-altcha-secret",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_until(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def start_process(cmd, log_path, env=None, cwd=ROOT):
    """Start ``cmd`` in its own session, so it and its children can be stopped
    together by process group without touching anything else. Its output goes
    to ``log_path``."""
    log = open(log_path, "ab")  # the child inherits it; we close our copy
    log.write(f"\n=== {time.strftime('%H:%M:%S')} {' '.join(cmd)}\n".encode())
    log.flush()
    try:
        return subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()


def stop_process(proc, timeout=10, sig=signal.SIGTERM):
    """Signal ``proc``'s process group, then SIGKILL it if it lingers."""
    if proc is None:
        return
    for signum, wait in ((sig, timeout), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait)
            break
    # Children the leader left behind (a gunicorn worker) share its group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def manage(env, log_path, *args, timeout=300):
    """Run ``manage.py`` with the stack's environment; its output goes to the log."""
    proc = start_process([sys.executable, "manage.py", *args], log_path, env=env)
    try:
        returncode = proc.wait(timeout=timeout)
    except BaseException:  # a timeout or Ctrl-C: it must not go on alone
        stop_process(proc)
        raise
    if returncode:
        raise RuntimeError(f"manage.py {args[0]} failed; see {log_path}")


def prepare_site(env, log_path):
    """The database and the static files the production settings need: the
    schema, the seed content and whitenoise's manifest (into ``STATIC_ROOT``)."""
    manage(env, log_path, "migrate", "--noinput")
    manage(env, log_path, "load_seed_content")
    manage(env, log_path, "collectstatic", "--noinput")


def gunicorn_command(port, *options):
    """The project's production command, bound to ``port``."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"{LOOPBACK}:{port}",
        *options,
        "cms.wsgi",
    ]


def http_status(port, path="/"):
    """The status of one GET on a fresh connection, or None without an answer."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def start_gunicorn(env, port, log_path, *options, timeout=60):
    """gunicorn (``gunicorn_command``) once ``/`` answers 200; stopped again if it
    does not."""
    proc = start_process(gunicorn_command(port, *options), log_path, env=env)

    def answers():
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log_path}")
        return http_status(port) == 200

    try:
        wait_until(answers, timeout, "gunicorn", interval=0.5)
    except BaseException:
        stop_process(proc)
        raise
    return proc
