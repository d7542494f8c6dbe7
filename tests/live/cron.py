"""A management command run again and again, as cron runs it, for the live tests.

``python -m tests.live.cron SECONDS COMMAND [ARGS...]`` with a deployed
process's environment: runs ``manage.py COMMAND`` every ``SECONDS`` until
stopped. One process for all the runs, so that a loop every half second costs
no Django start-up each time; each run is the command's own ``handle``, with
its own transaction and lock, as a fresh cron process would run it.
"""

import io
import sys
import time

import django


def main():
    every, command = float(sys.argv[1]), sys.argv[2:]
    django.setup()
    from django.core.management import call_command
    from django.db import close_old_connections

    while True:
        close_old_connections()
        output = io.StringIO()
        try:
            call_command(*command, stdout=output)
        except Exception as error:  # noqa: BLE001 (cron logs a failed run and goes on)
            output.write(f"failed: {type(error).__name__}: {error}\n")
        sys.stdout.write(output.getvalue())
        sys.stdout.flush()
        time.sleep(every)


if __name__ == "__main__":
    main()
