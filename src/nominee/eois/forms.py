"""Forms of the candidate pages: the registration steps, the update, the representative."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from nominee.accounts.forms import ServiceErrorsMixin
from nominee.calculator.forms import ProfileFields
from nominee.program import streams
from nominee.reference.models import Region
from nominee.scoring.policy import StreamPolicy, program_today

from .documents import is_employer_stream
from .models import EOI

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CREDENTIAL_KINDS = [
    ("diploma", _("College diploma (at least 2 years)")),
    ("degree", _("Bachelor's degree")),
    ("graduate-certificate", _("Graduate certificate")),
    ("masters", _("Master's degree")),
    ("phd", _("PhD")),
]


class CandidateForm(ServiceErrorsMixin, forms.Form):
    """Create a candidate profile for the signed-in account."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_(
            "As on your passport. Employers name you this way on job offers: the names must match."
        ),
    )


class StreamForm(ServiceErrorsMixin, forms.Form):
    """Step 1: the stream, and the Job Offer ID for the employer streams."""

    stream = forms.ChoiceField(label=_("Stream"), choices=streams.choices, widget=forms.RadioSelect)
    job_offer_id = forms.CharField(
        label=_("Job Offer ID"),
        required=False,
        max_length=20,
        help_text=_(
            "Employer streams only: the ID in the e-mail your employer's offer sent you, "
            "like JO-ABCD-2345."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stream = data.get("stream")
        day = program_today()
        if stream and not streams.info(stream).open_on(day):
            # DOMAIN §9: a closed (or not yet open) stream takes no registration.
            self.add_error(
                "stream",
                _("The %(name)s stream is %(dates)s; it is not open on %(day)s.")
                % {
                    "name": streams.name(stream),
                    "dates": streams.info(stream).dates_in_words(),
                    "day": day.isoformat(),
                },
            )
            return data
        if stream and is_employer_stream(stream) and not data.get("job_offer_id", "").strip():
            self.add_error("job_offer_id", _("Enter the Job Offer ID your employer sent you."))
        if stream and not is_employer_stream(stream) and data.get("job_offer_id", "").strip():
            self.add_error("job_offer_id", _("This stream takes no job offer: leave it empty."))
        return data


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


class ProfileForm(ServiceErrorsMixin, ProfileFields):
    """Step 2 (and the update): what the candidate declares in the profile document."""

    # Stored answers are bounded (the calculator's are not).
    BOUNDS: ClassVar[dict[str, int]] = {"job_tenure_months": 600, "canadian_credentials": 20}
    EARNINGS_DIGITS: ClassVar[tuple[int, int] | None] = (10, 2)

    def __init__(self, *args: Any, stream: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream
        if not is_employer_stream(stream):
            del self.fields["job_tenure_months"]

    def add_service_errors(self, message: str, fields: Any) -> None:
        """Map dotted document paths back onto the form's fields."""
        by_path = {path: name for name, path in self.PATHS.items()}
        mapped = {by_path.get(key, key): value for key, value in fields.items()}
        super().add_service_errors(message, mapped)

    def document(self) -> dict[str, Any]:
        """The profile document's declared parts (no stream, job offer or registration)."""
        data = self.cleaned_data
        earnings = data.get("highest_annual_earnings")
        doc: dict[str, Any] = {
            "permit": data["permit"],
            "job_tenure_months": data.get("job_tenure_months") or 0,
            "highest_annual_earnings": float(earnings) if earnings is not None else 0,
            "languages": {"english": _int(data.get("english")), "french": _int(data.get("french"))},
        }
        if not is_employer_stream(self.stream):
            doc.pop("job_tenure_months")
        if data.get("education_level") or data.get("education_field"):
            doc["education"] = {
                "level": data.get("education_level") or None,
                "field": data.get("education_field") or None,
                "canadian_credentials": data.get("canadian_credentials") or 0,
                "study_census_division": data.get("study_census_division") or None,
            }
        return doc

    @staticmethod
    def initial_from(document: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from a stored profile document."""
        education = document.get("education") or {}
        languages = document.get("languages") or {}
        return {
            "permit": document.get("permit", "none"),
            "job_tenure_months": document.get("job_tenure_months"),
            "highest_annual_earnings": document.get("highest_annual_earnings"),
            "education_level": education.get("level") or "",
            "education_field": education.get("field") or "",
            "canadian_credentials": education.get("canadian_credentials"),
            "study_census_division": education.get("study_census_division") or "",
            "english": str(languages.get("english") or ""),
            "french": str(languages.get("french") or ""),
        }


def _yes_no(label: Any, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, help_text=help_text
    )


def _months(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=600)


class FactsForm(ServiceErrorsMixin, forms.Form):
    """Step 3 (and the update): what eligibility needs beyond the document (DOMAIN §5).

    The fields follow the stream's policy: a requirement that the policy in force does not
    set is not asked.
    """

    def __init__(self, *args: Any, rules: StreamPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        if rules.min_experience_months_in_noc is not None:
            f["experience_months_in_noc_last_5y"] = _months(
                _("Months of full-time experience in the job offer's NOC in the last 5 years")
            )
            if rules.licence_substitutes_experience:
                f["ontario_licence"] = _yes_no(
                    _("Do you hold an Ontario licence for this occupation?"),
                    _("Only where the occupation is regulated in Ontario."),
                )
        if rules.min_ontario_experience_months is not None:
            f["ontario_experience_months_last_3y"] = _months(
                _("Months of full-time experience in Ontario in the offer's NOC, last 3 years")
            )
        if rules.high_school_required:
            f["high_school_equivalent"] = _yes_no(
                _("Do you hold a Canadian high-school diploma or its equivalent?")
            )
        if rules.credential_min_months is not None:
            kinds = [(k, v) for k, v in CREDENTIAL_KINDS if k in rules.credential_min_months]
            f["credential_kind"] = forms.ChoiceField(
                label=_("Your eligible Canadian credential"), choices=kinds
            )
            f["credential_completed_on"] = forms.DateField(
                label=_("Date you completed it (all requirements)"),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            f["credential_length_months"] = _months(_("Length of the program, full-time months"))
        if rules.min_phd_months_in_ontario is not None:
            f["phd_months_completed_in_ontario"] = _months(
                _("Months of your PhD completed while in Ontario")
            )
        if rules.min_ontario_residence_months is not None:
            f["ontario_residence_months_last_2y"] = _months(
                _("Months of lawful residence in Ontario in the last 2 years")
            )
        if rules.min_months_in_ontario is not None:
            f["months_in_ontario_last_24"] = _months(
                _("Months you spent in Ontario out of the last 24")
            )
        if rules.settlement_funds_required:
            f["settlement_funds"] = _yes_no(
                _("Do you hold the required settlement funds for your family size?")
            )

    def facts(self) -> dict[str, Any]:
        """The facts as ``EligibilityFacts.from_document`` takes them."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if value in ("yes", "no"):
                value = value == "yes"
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[name] = value
        return out

    @staticmethod
    def initial_from(facts: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from stored facts."""
        return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in facts.items()}


class ConfirmForm(forms.Form):
    """A confirmation checkbox (registration's last step, withdrawal)."""

    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class AppointForm(ServiceErrorsMixin, forms.Form):
    """The candidate appoints a representative by their account's e-mail address."""

    representative = forms.EmailField(
        label=_("Representative's e-mail address"),
        help_text=_("They must have signed up as a representative."),
    )


class PoolFilterForm(forms.Form):
    """Filters of the staff pool list."""

    stream = forms.ChoiceField(
        label=_("Stream"),
        required=False,
        choices=lambda: [("", _("All streams")), *streams.choices()],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("active", _("Active (live)")),
            ("expired", _("Expired")),
            ("legacy", _("Legacy")),
            (EOI.Status.INVITED, _("Invited")),
            (EOI.Status.WITHDRAWN, _("Withdrawn")),
            (EOI.Status.INELIGIBLE, _("Found ineligible")),
        ],
    )
    noc = forms.RegexField(label=_("NOC 2021 code"), required=False, regex=r"^\d{5}$", max_length=5)
    region = forms.ChoiceField(
        label=_("Job location region"),
        required=False,
        choices=[("", _("Any region")), *Region.choices],
    )
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    needs_review = forms.BooleanField(label=_("Flagged for an officer only"), required=False)


__all__ = [
    "AppointForm",
    "CandidateForm",
    "ConfirmForm",
    "FactsForm",
    "PoolFilterForm",
    "ProfileForm",
    "StreamForm",
]
