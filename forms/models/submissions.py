import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.models import AbstractFormSubmission

from .fields import Autocomplete


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SENT = "sent", _("Skickad")
    FAILED = "failed", _("Misslyckades, försöker igen")
    SKIPPED = "skipped", _("Ingen mottagare")
    # A registration entered by hand gets a receipt only when asked for one.
    NOT_WANTED = "not_wanted", _("Inget kvitto begärt")


# No 0/O, 1/I/L or U/V: a reference is read out on the phone and typed by hand.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_LENGTH = 10


def new_reference():
    """A reference the sender can quote, e.g. "K7QXM-3PA9R": random, so it tells
    nothing about how many others have written."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    half = REFERENCE_LENGTH // 2
    return f"{chars[:half]}-{chars[half:]}"


def reference_from(text):
    """The reference someone quoted, however they wrote it ("k7qxm 3pa9r",
    "K7QXM3PA9R"), or ``None`` if ``text`` cannot be one."""
    chars = "".join(text.split()).replace("-", "").upper()
    if len(chars) != REFERENCE_LENGTH or set(chars) - set(REFERENCE_ALPHABET):
        return None
    half = REFERENCE_LENGTH // 2
    return f"{chars[:half]}-{chars[half:]}"


class Verification(models.TextChoices):
    """Whether a person proved to be one, or was let through for a person to judge.

    An unverified submission (sent without the ALTCHA proof, e.g. with JavaScript
    off) waits apart from the inbox until a programme manager accepts or discards
    it; the sender gets no receipt.
    """

    VERIFIED = "verified", _("Verifierad")
    UNVERIFIED = "unverified", _("Ej verifierad")
    ACCEPTED = "accepted", _("Godkänd vid granskning")


EMPTY_ANSWER = "–"


def answer_text(value, yes_no=None):
    """One stored answer as a person reads it. ``yes_no``: the words for a
    ticked and an unticked box, translated once by a caller showing many."""
    if isinstance(value, bool):
        yes, no = yes_no or (gettext("Ja"), gettext("Nej"))
        return yes if value else no
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    if value in (None, ""):
        return EMPTY_ANSWER
    return str(value)


class BaseSubmission(AbstractFormSubmission):
    """A stored submission with the columns people search on and its e-mail state."""

    reference = models.CharField(
        _("referens"), max_length=16, unique=True, default=new_reference, editable=False
    )
    name = models.CharField(_("namn"), max_length=255, blank=True, db_index=True)
    email = models.EmailField(_("e-post"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    organisation = models.CharField(_("kommun/region"), max_length=255, blank=True)
    role = models.CharField(_("roll"), max_length=255, blank=True)
    notification_state = models.CharField(
        _("avisering"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    receipt_state = models.CharField(
        _("kvitto"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    delivery_attempts = models.PositiveSmallIntegerField(
        _("sändningsförsök"), default=0
    )
    delivery_error = models.TextField(_("senaste fel"), blank=True)
    # What the form was called when this was sent: "Ny antagning" renames the
    # interest form for the next year, and a 2025 registration must not be
    # shown as sent to "Intresseanmälan för 2026".
    form_title = models.CharField(
        _("formulär"), max_length=255, blank=True, editable=False
    )
    verification = models.CharField(
        _("verifiering"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.VERIFIED,
        db_index=True,
    )

    # The column a form field fills, by the purpose the editors declared for it:
    # what the inbox lists, searches and exports besides the answers.
    PURPOSE_COLUMNS = {
        Autocomplete.NAME: "name",
        Autocomplete.EMAIL: "email",
        Autocomplete.TEL: "phone",
        Autocomplete.ORGANIZATION: "organisation",
        Autocomplete.ORGANIZATION_TITLE: "role",
    }

    class Meta(AbstractFormSubmission.Meta):
        abstract = True
        ordering = ["-submit_time"]
        indexes = [
            # The inbox's order (the admin adds the id to make it total): its
            # first page is read from the index, whatever the number of rows.
            models.Index(fields=["-submit_time", "-id"], name="%(class)s_newest"),
            # The purge's "this form page, older than the cut-off".
            models.Index(fields=["page", "submit_time"], name="%(class)s_page_time"),
        ]

    def save(self, *args, **kwargs):
        """A new submission is sent under its form's current (live) title,
        unless whoever stores it says otherwise."""
        if self._state.adding and not self.form_title and self.page_id:
            self.form_title = self.page.title
        super().save(*args, **kwargs)

    @classmethod
    def column_for(cls, purpose):
        """The model field that a field of this purpose fills, or ``None``."""
        name = cls.PURPOSE_COLUMNS.get(purpose)
        return cls._meta.get_field(name) if name else None

    @property
    def awaits_review(self):
        return self.verification == Verification.UNVERIFIED

    def relate(self, chosen_programs):
        """Link the stored submission to what it chose; a hook for registrations."""

    def answers(self, fields=None):
        """The answers as (label, text) pairs, the one way they are shown: in the
        inbox, every export and the e-mails.

        Every field the form has now that the submission answers, in form
        order, then answers to fields that were removed since, under their
        stored names. ``fields`` are the page's form fields, passed in when many
        submissions of one form are shown.
        """
        asked, removed = self.answers_by_field(fields)
        return [*asked, *removed]

    def answers_by_field(self, fields=None, yes_no=None):
        """The answers in two lists of (label, text): to the form's fields now,
        in form order, and to fields since removed.

        Every field the form had is stored, an empty answer too (""), so a field
        missing from the answers was added after this was sent: it was never
        asked, and is not shown as left unanswered ("–").
        """
        if fields is None:
            fields = self.page.specific.get_form_fields()
        asked = [
            (field.label, answer_text(self.form_data[field.clean_name], yes_no))
            for field in fields
            if field.clean_name in self.form_data
        ]
        names = {field.clean_name for field in fields}
        removed = [
            (name, answer_text(value, yes_no))
            for name, value in self.form_data.items()
            if name not in names
        ]
        return asked, removed

    def get_data(self):
        """Wagtail's own list and export of one form's submissions: the answers
        as every other view reads them (a box ticked as "Ja", not "True")."""
        return {
            **{name: answer_text(value) for name, value in self.form_data.items()},
            "submit_time": self.submit_time,
            "form_title": self.form_title,
        }

    def message_text(self, fields=None):
        """The answer to the form's first multi-line field: the message, if any."""
        if fields is None:
            fields = self.page.specific.get_form_fields()
        for field in fields:
            if field.field_type == "multiline":
                return answer_text(self.form_data.get(field.clean_name))
        return EMPTY_ANSWER

    def answers_as_text(self, fields=None):
        """The answers as lines of "label: text", for a spreadsheet cell or e-mail."""
        return "\n".join(f"{label}: {text}" for label, text in self.answers(fields))

    def __str__(self):
        return f"{self.name or self.email or self.pk} ({self.submit_time:%Y-%m-%d})"


# Two registrations are duplicates when their addresses match like this.
EMAIL_KEY = Lower(Trim("email"))


class Source(models.TextChoices):
    """How a registration reached SKR: the form, or a manager typing it in."""

    WEB = "webb", _("Webbformulär")
    PHONE = "telefon", _("Telefon")
    LETTER = "brev", _("Brev")
    EMAIL = "e-post", _("E-post")


class InterestSubmission(BaseSubmission):
    class Status(models.TextChoices):
        NEW = "ny", _("Ny")
        CONTACTED = "kontaktad", _("Kontaktad")
        ACCEPTED = "antagen", _("Antagen")
        RESERVE = "reserv", _("Reserv")
        DECLINED = "avböjd", _("Avböjd")
        WITHDRAWN = "återtagen", _("Återtagen")

    intake_year = models.PositiveSmallIntegerField(_("antagningsår"), db_index=True)
    programs = models.ManyToManyField(
        "programs.ProgramPage",
        verbose_name=_("program"),
        related_name="interest_submissions",
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
    )
    source = models.CharField(
        _("inkom via"), max_length=16, choices=Source.choices, default=Source.WEB
    )
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(BaseSubmission.Meta):
        verbose_name = _("intresseanmälan")
        verbose_name_plural = _("intresseanmälningar")
        indexes = [
            *BaseSubmission.Meta.indexes,
            # The status filter, newest first.
            models.Index(
                fields=["status", "-submit_time"], name="interest_status_newest"
            ),
            # The admin home panel counts only new registrations: an index of
            # those alone keeps it as cheap at 100,000 rows as at 100.
            models.Index(
                fields=["intake_year"],
                condition=models.Q(status="ny"),
                name="interest_new_by_year",
            ),
            # Duplicates: the same address (any case, no spaces) and intake
            # year, found by one index probe per registration.
            models.Index(EMAIL_KEY, "intake_year", name="interest_email_year"),
        ]

    def relate(self, chosen_programs):
        """Called once, on a submission just stored: it has no links yet, so they
        are inserted in one query (``set`` would first read the existing ones)."""
        link = self.programs.through
        link.objects.bulk_create(
            [
                link(interestsubmission=self, programpage=program)
                for program in chosen_programs
            ]
        )


class ContactSubmission(BaseSubmission):
    class Meta(BaseSubmission.Meta):
        verbose_name = _("kontaktförfrågan")
        verbose_name_plural = _("kontaktförfrågningar")
