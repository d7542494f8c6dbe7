"""A registration's status, changed one way wherever it is changed."""

from django.utils import timezone


def change_status(submissions, status, user) -> int:
    """Give ``submissions`` (a queryset) ``status``, noting who and when; returns
    how many rows changed."""
    return submissions.update(
        status=status, status_changed_at=timezone.now(), status_changed_by=user
    )
