"""Who may do what with submissions, spelled one way."""

from django.contrib.auth import get_permission_codename


def permission(model, action):
    """``"forms.view_interestsubmission"`` for ``(InterestSubmission, "view")``."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def may(user, action, model):
    return user.has_perm(permission(model, action))
