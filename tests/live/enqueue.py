"""Queue submissions' e-mail in a live database, for the worker outage tests.

Run with the worker's environment: ``python -m tests.live.enqueue``. Each line
read is a name: a submission of the interest form is stored for it and its two
messages queued, as a web process does; then ``queued <name>`` is printed. One
process for a whole test: starting Django for each submission takes seconds.
Survives the database restarting between lines, as a web process would.
"""

import sys
import time

import django

STORE_AND_QUEUE_ATTEMPTS = 50


def queue(name):
    from forms.models import InterestFormPage
    from forms.tasks import schedule_delivery
    from tests.factories import answers

    page = InterestFormPage.objects.live().get()
    InterestFormPage.objects.filter(pk=page.pk).update(
        to_address="programansvarig@exempel.se"
    )
    submission = page.get_submission_class().objects.create(
        page=page,
        form_data=answers(page, name=name),
        name=name,
        email=f"{name}@exempel.se",
        intake_year=page.intake_year,
    )
    schedule_delivery(submission)


def main():
    django.setup()
    from django.db import (
        InterfaceError,
        OperationalError,
        close_old_connections,
        connections,
    )

    for line in sys.stdin:
        name = line.strip()
        answer = f"failed {name}"
        for _attempt in range(STORE_AND_QUEUE_ATTEMPTS):
            close_old_connections()
            try:
                queue(name)
            except (OperationalError, InterfaceError):
                connections.close_all()
                time.sleep(0.2)
                continue
            answer = f"queued {name}"
            break
        sys.stdout.write(f"{answer}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
