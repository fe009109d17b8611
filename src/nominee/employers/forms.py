"""Forms of the employer portal. They parse what a person typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nominee.accounts.forms import ServiceErrorsMixin
from nominee.program import streams
from nominee.reference.models import CensusDivision
from nominee.reference.queries import find_municipalities, municipality_text

from .models import Employer
from .queries import resolve_noc
from .validation import EMPLOYER_FIELDS, normalise_postal_code

#: The streams that take a job offer, from the stream registry (called when a form is built).
EMPLOYER_STREAM_CHOICES = streams.employer_choices


class CensusDivisionField(forms.ModelChoiceField):
    """An Ontario census division, shown by its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Census division"))
        kwargs.setdefault(
            "help_text",
            _("The census division (county, region or district) where the work is done."),
        )
        super().__init__(
            queryset=CensusDivision.objects.order_by("name"), empty_label=_("Choose…"), **kwargs
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


#: The id of the page's ``<datalist>`` of Ontario municipalities (``{% municipality_datalist %}``).
MUNICIPALITY_LIST = "ontario-municipalities"


def municipality_field(label: Any) -> forms.CharField:
    """A municipality typed with suggestions from Statistics Canada's census subdivisions
    of Ontario (a native ``<datalist>``: no script, read out by screen readers)."""
    return forms.CharField(
        label=label,
        max_length=100,
        help_text=_(
            "Start typing and choose it from the list, e.g. “Toronto, Toronto”: its census"
            " division is then found for you."
        ),
        widget=forms.TextInput(attrs={"list": MUNICIPALITY_LIST, "autocomplete": "off"}),
    )


def optional_division_field() -> CensusDivisionField:
    return CensusDivisionField(
        required=False,
        help_text=_(
            "Found from the municipality. Choose it only for a place that is not on the"
            " list of municipalities (the county, region or district where the work is done)."
        ),
    )


#: Statistics Canada's types of a city (a name shared with a township means the city).
CITY_KINDS = frozenset({"C", "CY", "CV"})


def fill_census_division(form: forms.Form, municipality: str, division: str) -> None:
    """In ``clean()``: the census division of the municipality (named as the list offers
    it, or by a name only one place has). A division chosen for a place on the list must
    be that place's; for a place not on the list, the division must be chosen."""
    data = form.cleaned_data
    text = data.get(municipality)
    if not text or division in form.errors:
        return
    chosen = data.get(division)
    matches = find_municipalities(text)
    cities = [m for m in matches if m.kind in CITY_KINDS]
    if len(matches) > 1 and len(cities) == 1:
        matches = cities  # "Hamilton" is the city, not the township of Northumberland
    divisions = {m.census_division_id for m in matches}
    if len(divisions) == 1:
        place = matches[0]
        if chosen is not None and chosen.pk != place.census_division_id:
            form.add_error(
                division,
                _(
                    "%(place)s is in the census division of %(division)s: choose it, or leave"
                    " the census division empty."
                )
                % {"place": place.name, "division": place.census_division.name},
            )
            return
        data[division] = place.census_division
        data[municipality] = place.name
    elif chosen is not None:
        return
    elif matches:
        form.add_error(
            municipality,
            _("Several places are called %(name)s: choose one from the list (%(places)s).")
            % {
                "name": matches[0].name,
                "places": ", ".join(f"“{municipality_text(m)}”" for m in matches),
            },
        )
    else:
        form.add_error(
            division,
            _("%(name)s is not on the list of Ontario municipalities: choose its census division.")
            % {"name": text},
        )


class BusinessForm(ServiceErrorsMixin, forms.Form):
    """The business's facts that can be corrected (all but the CRA business number)."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    operating_name = forms.CharField(
        label=_("Operating name"),
        max_length=200,
        required=False,
        help_text=_("The name the business trades under, if it differs."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200)
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=7,
        widget=forms.TextInput(
            attrs={"class": "ontario-input--7-char-width", "autocomplete": "postal-code"}
        ),
    )
    years_in_business = forms.IntegerField(
        label=_("Years in business"),
        min_value=0,
        max_value=500,
        help_text=_("Full years the business has been active (in Ontario or elsewhere)."),
    )
    gross_revenue = forms.DecimalField(
        label=_("Gross revenue of the last fiscal year (CAD)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("As reported to the CRA, e.g. 1250000."),
    )

    def clean_postal_code(self) -> str:
        """Refuse what cannot be a postal code here, beside the form's other messages."""
        postal = normalise_postal_code(self.cleaned_data["postal_code"])
        if postal is None:
            raise forms.ValidationError(_("Enter a Canadian postal code, e.g. M5H 2N2."))
        return postal


class EmployerForm(BusinessForm):
    """The business and its first work location (DOMAIN §3 step 1)."""

    cra_business_number = forms.CharField(
        label=_("CRA business number"),
        max_length=20,
        help_text=_("9 digits, e.g. 123456782 (a program account such as RT0001 may follow)."),
        widget=forms.TextInput(attrs={"class": "ontario-input--10-char-width"}),
    )
    location_municipality = municipality_field(_("Work location: municipality"))
    location_census_division = optional_division_field()
    location_street_address = forms.CharField(
        label=_("Work location: street address"), max_length=200, required=False
    )
    location_full_time_employees = forms.IntegerField(
        label=_("Work location: full-time permanent employees"),
        min_value=0,
        help_text=_("Who are Canadian citizens or permanent residents, at this location."),
    )

    # The error summary lists fields in this order: the order of the page.
    field_order = EMPLOYER_FIELDS
    offers_municipalities = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        fill_census_division(self, "location_municipality", "location_census_division")
        return self.cleaned_data


class LocationForm(ServiceErrorsMixin, forms.Form):
    """Another place where the employer's people work."""

    municipality = municipality_field(_("Municipality"))
    census_division = optional_division_field()
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    full_time_employees = forms.IntegerField(
        label=_("Full-time permanent employees"),
        min_value=0,
        help_text=_("Who are Canadian citizens or permanent residents, at this location."),
    )

    offers_municipalities = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        fill_census_division(self, "municipality", "census_division")
        return self.cleaned_data


class JobOfferForm(ServiceErrorsMixin, forms.Form):
    """A job offer for one named candidate (DOMAIN §3 step 2)."""

    stream = forms.ChoiceField(
        label=_("Stream the candidate will apply to"),
        choices=EMPLOYER_STREAM_CHOICES,
        widget=forms.RadioSelect,
    )
    location = forms.ChoiceField(label=_("Work location"))
    noc = forms.CharField(
        label=_("Occupation (NOC 2021)"),
        max_length=320,
        help_text=_(
            "Type the 5-digit code or words of the title, e.g. 21231 or 'software engineers'."
        ),
        widget=forms.TextInput(attrs={"list": "noc-codes", "autocomplete": "off"}),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    hourly_wage = forms.DecimalField(
        label=_("Hourly wage (CAD)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Give the hourly wage, or else the annual salary below."),
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "ontario-input--10-char-width"}),
    )
    annual_salary = forms.DecimalField(
        label=_("Annual salary (CAD)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Converted to an hourly wage over 52 weeks of the weekly hours."),
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "ontario-input--10-char-width"}),
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        min_value=0,
        max_value=168,
        max_digits=5,
        decimal_places=2,
        help_text=_("Full-time means at least 30 hours a week and 1,560 hours a year."),
        widget=forms.NumberInput(attrs={"step": "0.25", "class": "ontario-input--4-char-width"}),
    )
    permanent = forms.TypedChoiceField(
        label=_("Is the position permanent (no end date)?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    candidate_name = forms.CharField(
        label=_("Candidate's full name"),
        max_length=200,
        help_text=_("As on their passport: the candidate's EOI must match it."),
    )
    candidate_email = forms.EmailField(
        label=_("Candidate's e-mail address"),
        help_text=_("We e-mail the Job Offer ID to this address. The candidate's EOI must use it."),
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location_field: Any = self.fields["location"]
        location_field.choices = [
            (loc.pk, f"{loc.municipality}, {loc.census_division.name}")
            for loc in employer.locations.select_related("census_division").order_by("id")
        ]
        self.noc_options: list[Any] = []

    def clean_noc(self) -> str:
        """Resolve the typed code or title to one NOC, or list the near matches."""
        noc, options = resolve_noc(self.cleaned_data["noc"])
        if noc is None:
            self.noc_options = options
            if options:
                raise forms.ValidationError(
                    _(
                        "Several occupations match: type the 5-digit code of one of them "
                        "(listed below the form)."
                    )
                )
            raise forms.ValidationError(_("No NOC 2021 unit group matches: type a 5-digit code."))
        return noc.code


class LockedJobOfferForm(JobOfferForm):
    """The change form once a representative is appointed: three fields read-only."""

    def __init__(self, *args: Any, locked: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = _("Locked since a representative was appointed.")


class InviteContactForm(ServiceErrorsMixin, forms.Form):
    """The signing officer invites another person to act for the business."""

    email = forms.EmailField(label=_("Their e-mail address"))
    full_name = forms.CharField(label=_("Their full name"), max_length=200, required=False)


class AppointForm(ServiceErrorsMixin, forms.Form):
    """The signing officer appoints a representative by their account's e-mail."""

    representative = forms.EmailField(
        label=_("The representative's e-mail address"),
        help_text=_("They must have a Nominee account registered as a representative."),
    )


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    """Why the offer is withdrawn (kept in the audit log)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """An officer's note on an offer's flags."""

    note = forms.CharField(
        label=_("What you checked"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveRegistrationForm(ServiceErrorsMixin, forms.Form):
    """An officer's optional note on an approval (the employer's contacts read it)."""

    reasons = forms.CharField(
        label=_("Note for the employer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseRegistrationForm(ServiceErrorsMixin, forms.Form):
    """Why the registration is refused, in words (the service checks them)."""

    reasons = forms.CharField(
        label=_("Reasons for the refusal"),
        required=False,
        max_length=4000,
        help_text=_(
            "Required. The employer's contacts receive them by e-mail; they may ask again "
            "once the reasons are resolved."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
