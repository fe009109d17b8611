"""The publish form of the policy page: kind, effective date, reason and the JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PolicyKind


class PublishVersionForm(forms.Form):
    """A new version: the JSON pasted or uploaded (an upload wins over the text)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyKind.choices)
    effective_from = forms.DateField(
        label=_("Effective date"),
        help_text=_("A program date (Toronto) after today: YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    document = forms.CharField(
        label=_("The document (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_("Paste the whole document, or upload it below."),
    )
    upload = forms.FileField(label=_("Or upload the JSON file"), required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        text = data.get("document") or ""
        if upload is not None:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file is not UTF-8 text."))
                return data
        if not text.strip():
            self.add_error("document", _("Paste the JSON document or upload it."))
            return data
        try:
            data["parsed"] = json.loads(text)
        except json.JSONDecodeError as error:
            field = "upload" if upload is not None else "document"
            self.add_error(field, _("Not valid JSON: %(error)s") % {"error": error})
            return data
        # The confirm step carries the text, whichever way it came.
        data["document"] = text
        return data

    def add_service_errors(self, message: str, fields: Mapping[str, Sequence[str]]) -> None:
        """Put a refusal's messages on their fields, else on the form."""
        placed = False
        for name, texts in fields.items():
            target = name if name in self.fields else None
            for text in texts:
                self.add_error(target, text)
                placed = True
        if not placed:
            self.add_error(None, message)
