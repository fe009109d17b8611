"""The draw form of the officer pages; its checks are ``criteria.parse_criteria``'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nominee.core import timeutil
from nominee.core.errors import ValidationFailed
from nominee.program import streams
from nominee.reference.models import CensusDivision, OccupationList, PlaceList, Region

from .criteria import EDUCATION_LABELS, EDUCATION_ORDER, DrawCriteria, parse_criteria


class DateInput(forms.DateInput):
    """A native date picker (YYYY-MM-DD)."""

    input_type = "date"


class DrawForm(forms.Form):
    """Criteria of a draw (DOMAIN §6). ``criteria`` is set once the form is valid."""

    stream = forms.ChoiceField(label=_("Stream"), choices=streams.choices)
    draw_date = forms.DateField(label=_("Draw date"), widget=DateInput)
    invitations = forms.IntegerField(
        label=_("Number of invitations"),
        required=False,
        min_value=1,
        help_text=_("The top N are invited. Give this, a minimum score, or both."),
    )
    min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        help_text=_("Only scores at or above it are invited."),
    )
    occupation_list = forms.ChoiceField(
        label=_("Occupation list"),
        required=False,
        help_text=_("Target the NOC codes of a named list."),
    )
    noc_codes = forms.CharField(
        label=_("NOC codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Paste 5-digit NOC 2021 codes, separated by commas, spaces or lines."),
    )
    pathways = forms.MultipleChoiceField(
        label=_("Pathways"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every pathway of the stream."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Job location: regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Read in the region table in force on the draw date: from 2026-06-26 Muskoka and "
            "Haliburton are northern, and eastern, central and southwestern make up “other”."
        ),
    )
    place_list = forms.ChoiceField(
        label=_("Job location: a list of places"),
        required=False,
        help_text=_("Target the census divisions of a named list, such as the REDI communities."),
    )
    census_divisions = forms.MultipleChoiceField(
        label=_("Job location: census divisions"),
        required=False,
        help_text=_("A job in any of the chosen regions or census divisions matches."),
    )
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=DateInput, help_text=_("Inclusive.")
    )
    registered_to = forms.DateField(
        label=_("Registered to"), required=False, widget=DateInput, help_text=_("Inclusive.")
    )
    in_canada_only = forms.BooleanField(label=_("Candidates in Canada only"), required=False)
    min_education = forms.ChoiceField(
        label=_("Minimum education"),
        required=False,
        choices=[("", _("Any"))] + [(level, EDUCATION_LABELS[level]) for level in EDUCATION_ORDER],
    )
    min_french_clb = forms.IntegerField(
        label=_("Minimum French CLB"), required=False, min_value=1, max_value=12
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria: DrawCriteria | None = None
        lists = self.fields["occupation_list"]
        divisions = self.fields["census_divisions"]
        places = self.fields["place_list"]
        assert isinstance(places, forms.ChoiceField)
        places.choices = [("", _("None"))] + [(p.slug, p.name) for p in PlaceList.objects.all()]
        pathways = self.fields["pathways"]
        assert isinstance(lists, forms.ChoiceField)
        assert isinstance(divisions, forms.ChoiceField)
        assert isinstance(pathways, forms.ChoiceField)
        # Every stream's pathways, named with the stream: the field is shown only where the
        # registry has some (``has_pathways``), and parse_criteria checks them per stream.
        pathways.choices = [
            (code, f"{label} ({streams.name(stream)})")
            for stream in streams.codes()
            for code, label in streams.pathway_choices(stream)
        ]
        self.has_pathways = bool(pathways.choices)
        lists.choices = [("", _("None"))] + [
            (o.slug, f"{o.name} ({o.slug})") for o in OccupationList.objects.all()
        ]
        divisions.choices = [
            (cd.code, f"{cd.code} {cd.name}") for cd in CensusDivision.objects.all()
        ]
        if not self.is_bound:
            self.initial.setdefault("draw_date", timeutil.today())

    def clean(self) -> dict[str, Any]:
        """Run the shared criteria checks; their messages land on the fields."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.criteria = parse_criteria(cleaned)
        except ValidationFailed as error:
            for name, messages in error.fields.items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    @classmethod
    def initial_from(cls, criteria: DrawCriteria) -> dict[str, Any]:
        """Initial values that reproduce a draw's criteria (propose a similar draw)."""
        document = criteria.to_document()
        return {
            "stream": criteria.stream,
            "draw_date": criteria.draw_date,
            "invitations": criteria.invitations,
            "min_score": criteria.min_score,
            "occupation_list": criteria.occupation_list or "",
            "noc_codes": "" if criteria.occupation_list else ", ".join(criteria.noc_codes),
            "pathways": document["pathways"],
            "regions": document["regions"],
            "census_divisions": list(criteria.chosen_census_divisions)
            if criteria.place_list
            else document["census_divisions"],
            "place_list": criteria.place_list or "",
            "registered_from": criteria.registered_from,
            "registered_to": criteria.registered_to,
            "in_canada_only": criteria.in_canada_only,
            "min_education": criteria.min_education or "",
            "min_french_clb": criteria.min_french_clb,
        }


class CancelForm(forms.Form):
    """Why a draw is cancelled."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
