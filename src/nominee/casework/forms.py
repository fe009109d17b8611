"""Forms of the casework pages, built from ``details.SECTIONS`` where they collect details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nominee.program.models import SpentPolicy
from nominee.scoring.policy import STREAMS

from . import details
from .models import Application
from .services import STAFF_ACTIONS
from .states import UNDECIDED


def section_form(key: str, *args: Any, **kwargs: Any) -> forms.Form:
    """A form with one field per detail of the section (validation stays in the service)."""
    fields: dict[str, forms.Field] = {}
    for field in details.section(key).fields:
        if field.kind == "lines":
            fields[field.name] = forms.CharField(
                label=_(field.label),
                required=field.required,
                help_text=_(field.help) if field.help else "",
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        elif field.kind == "choice":
            fields[field.name] = forms.ChoiceField(
                label=_(field.label),
                required=field.required,
                choices=[("", "—"), *((k, _(v)) for k, v in field.choices)],
            )
        elif field.kind == "date":
            fields[field.name] = forms.CharField(
                label=_(field.label),
                required=field.required,
                help_text="YYYY-MM-DD",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        elif field.kind == "email":
            fields[field.name] = forms.CharField(
                label=_(field.label),
                required=field.required,
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
        else:
            fields[field.name] = forms.CharField(label=_(field.label), required=field.required)
    form_class = type(f"{key.title()}Form", (forms.Form,), fields)
    return form_class(*args, **kwargs)


class DocumentForm(forms.Form):
    """One supporting document."""

    label = forms.CharField(
        label=_("What is it?"), max_length=200, help_text=_("for example: passport")
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class DeclarationForm(forms.Form):
    """The signed declaration."""

    agree = forms.BooleanField(
        label=_("I declare that the information in this application is true and complete.")
    )
    declaration_name = forms.CharField(label=_("Your full name, as a signature"), max_length=200)


class PositionApprovalForm(forms.Form):
    """The employer's confirmation of the job offer and declaration."""

    offer_confirmed = forms.BooleanField(
        label=_("The job offer above is the position we are asking the program to approve."),
        required=False,
    )
    declaration_name = forms.CharField(
        label=_("Signing officer's full name, as a signature"), max_length=200, required=False
    )


class TextForm(forms.Form):
    """A party's answer or reason."""

    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    """An officer's action on a file."""

    action = forms.ChoiceField(choices=[(a, a.replace("_", " ")) for a in STAFF_ACTIONS])
    text = forms.CharField(
        label=_("Reasons, message or reference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    party = forms.ChoiceField(
        label=_("Ask"),
        choices=[("candidate", _("the candidate")), ("employer", _("the employer"))],
        required=False,
    )
    respond_by = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("default: the policy's days"),
    )
    officer = forms.EmailField(label=_("Assign to (e-mail)"), required=False)


class QueueFilterForm(forms.Form):
    """The queue's filters."""

    stream = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.fields["stream"].choices = [  # type: ignore[attr-defined]
            ("", _("All streams")),
            *[(s, s) for s in STREAMS],
        ]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All stages")),
            *[(s, Application.Status(s).label) for s in sorted(UNDECIDED)],
        ]


class AllocationForm(forms.Form):
    """A manager sets the year's allocation or a stream's share."""

    year = forms.IntegerField(min_value=2000, max_value=2100)
    nominations = forms.IntegerField(min_value=0)
    stream = forms.ChoiceField(required=False)
    when_spent = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.fields["stream"].choices = [  # type: ignore[attr-defined]
            ("", _("The whole year")),
            *[(s, s) for s in STREAMS],
        ]
        self.fields["when_spent"].choices = [  # type: ignore[attr-defined]
            ("", _("unchanged")),
            *SpentPolicy.choices,
        ]
