"""Forms of the candidate pages: the registration steps, the update, the representative."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from nominee.accounts.forms import ServiceErrorsMixin
from nominee.calculator.forms import ProfileFields, WorkforcePriorityFields
from nominee.core.timeutil import today
from nominee.program import streams
from nominee.reference.models import Noc, Region
from nominee.scoring.eligibility import POST_SECONDARY
from nominee.scoring.policy import PathwayPolicy, StreamPolicy, policy_at, program_today

from .documents import OHIP_SHAPE_HELP, is_employer_stream, normalise_ohip, ohip_shape_ok
from .models import EOI

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CREDENTIAL_KINDS_2026 = [
    ("diploma", _("College diploma (at least 2 years)")),
    ("degree", _("Bachelor's degree")),
    ("college-graduate-certificate", _("Ontario college graduate certificate")),
    ("masters", _("Master's degree")),
    ("phd", _("PhD")),
]
POST_SECONDARY_LABELS = {
    "canadian": _("A Canadian post-secondary credential"),
    "foreign-with-eca": _("A credential earned abroad, with an Educational Credential Assessment"),
    "foreign-without-eca": _("A credential earned abroad, without an assessment"),
    "none": _("No post-secondary credential"),
}
CPSO_CLASS_LABELS = {
    "independent-practice": _("Independent practice"),
    "academic-practice": _("Academic practice"),
    "provisional": _("Provisional"),
    "other": _("Another class"),
}
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


def open_stream_choices() -> list[tuple[str, str]]:
    """The streams open today, the newest first (a closed stream takes no registration)."""
    day = today()
    open_ = [streams.info(code) for code in streams.open_codes(day)]
    open_.sort(key=lambda info: info.effective_from, reverse=True)
    return [(info.code, streams.name(info.code)) for info in open_]


def closed_streams_sentence() -> str:
    """In words: which streams closed on which date, and when the open ones opened."""
    day = today()
    closed: dict[Any, list[str]] = {}
    for code in streams.codes():
        info = streams.info(code)
        if info.until is not None and info.until <= day:
            closed.setdefault(info.until, []).append(streams.name(info.code))
    parts = []
    for until, names in sorted(closed.items()):
        parts.append(
            str(_("The %(count)d streams of the earlier program (%(names)s) closed on %(day)s."))
            % {"count": len(names), "names": ", ".join(names), "day": until.isoformat()}
        )
    for code, _name in open_stream_choices():
        info = streams.info(code)
        if closed and info.effective_from > min(closed):
            parts.append(
                str(_("%(name)s opened on %(day)s."))
                % {"name": streams.name(info.code), "day": info.effective_from.isoformat()}
            )
    return " ".join(parts)


def pathway_line(stream: str, pathway: str) -> str:
    """One line on who a pathway is for, from the registry and the policy in force."""
    info = streams.pathway_info(stream, pathway)
    if info.job_offer_required:
        ordered = sorted(info.teers or ())
        contiguous = ordered and ordered == list(range(ordered[0], ordered[-1] + 1))
        teers = (
            f"{ordered[0]}-{ordered[-1]}"
            if contiguous and len(ordered) > 1
            else ", ".join(str(t) for t in ordered)
        )
        return str(
            _(
                "%(name)s: a permanent full-time job offer, from an employer registered with "
                "the program, in a TEER %(teers)s occupation; quote its Job Offer ID."
            )
        ) % {"name": streams.pathway_name(stream, pathway), "teers": teers}
    rules = policy_at(today()).stream(stream).pathway(pathway)
    nocs = ", ".join(sorted(rules.nocs or ())) if rules is not None else ""
    return str(
        _(
            "%(name)s: no employer and no job offer; a practice in NOC %(nocs)s, registered "
            "with the College of Physicians and Surgeons of Ontario, with an OHIP billing number."
        )
    ) % {"name": streams.pathway_name(stream, pathway), "nocs": nocs}


def pathway_choices_today() -> list[tuple[str, str]]:
    """The pathways of the streams open today, each with its line on who it is for."""
    return [
        (pathway, pathway_line(stream, pathway))
        for stream, _name in open_stream_choices()
        for pathway, _pname in streams.pathway_choices(stream)
    ]


class StreamForm(ServiceErrorsMixin, forms.Form):
    """Step 1: the stream open today, its pathway, and the Job Offer ID where one is taken."""

    stream = forms.ChoiceField(
        label=_("Stream"), choices=open_stream_choices, widget=forms.RadioSelect
    )
    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=pathway_choices_today,
        widget=forms.RadioSelect,
        required=False,
    )
    job_offer_id = forms.CharField(
        label=_("Job Offer ID"),
        required=False,
        max_length=20,
        help_text=_(
            "Only where a job offer is taken: the ID in the e-mail your employer's offer "
            "sent you, like JO-ABCD-2345. Physicians leave it empty."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [code for code, _name in open_stream_choices()]
        # Only today's streams are offered, but every stream of the registry is a valid
        # answer, so that a form left open across a closing hears the stream's dates
        # (clean) rather than "select a valid choice".
        field = self.fields["stream"]
        assert isinstance(field, forms.ChoiceField)
        shown = list(field.widget.choices)
        field.choices = streams.choices()
        field.widget.choices = shown
        if len(offered) == 1:
            self.fields["stream"].initial = offered[0]
        if not self.fields["pathway"].choices:  # type: ignore[attr-defined]
            del self.fields["pathway"]
        elif all(streams.pathway_choices(code) for code in offered):
            # Every stream open today has pathways: one must be chosen (clean() says so).
            self.fields["pathway"].required = True
            self.fields["pathway"].error_messages["required"] = _(
                "Choose the pathway that fits you."
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
        pathway = data.get("pathway") or None
        if not stream:
            return data
        pathways = [code for code, _name in streams.pathway_choices(stream)]
        if pathways and pathway not in pathways:
            self.add_error("pathway", _("Choose the pathway that fits you."))
            return data
        if not pathways:
            pathway = data["pathway"] = None
        takes_offer = is_employer_stream(stream, pathway)
        if takes_offer and not data.get("job_offer_id", "").strip():
            self.add_error("job_offer_id", _("Enter the Job Offer ID your employer sent you."))
        if not takes_offer and data.get("job_offer_id", "").strip():
            self.add_error(
                "job_offer_id",
                _("This stream takes no job offer: leave it empty.")
                if pathway is None
                else _("This pathway takes no job offer and no employer: leave it empty."),
            )
        return data


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def practice_noc_choices(stream: str, pathway: str | None) -> list[tuple[str, str]]:
    """The practice NOCs a pathway accepts (policy data), with their titles."""
    rules = policy_at(today()).stream(stream).pathway(pathway)
    codes = sorted(rules.nocs or ()) if rules is not None else []
    titles = dict(Noc.objects.filter(code__in=codes).values_list("code", "title"))
    return [("", str(_("Choose the NOC of your practice")))] + [
        (code, f"{code} {titles.get(code, '')}".strip()) for code in codes
    ]


class ProfileForm(ServiceErrorsMixin, WorkforcePriorityFields, ProfileFields):
    """Step 2 (and the update): what the candidate declares in the profile document.

    A stream with pathways (2026) asks the Ontario work months; its physician pathway asks
    the practice NOC and location instead of the job offer's, and counts the tenure as
    months of medical practice in Ontario (INTERFACES §1). The calculator's fields.
    """

    # Stored answers are bounded (the calculator's are not).
    BOUNDS: ClassVar[dict[str, int]] = {
        "job_tenure_months": 600,
        "canadian_credentials": 20,
        "ontario_work_months": 600,
    }
    EARNINGS_DIGITS: ClassVar[tuple[int, int] | None] = (10, 2)
    PATHS: ClassVar[dict[str, str]] = {
        **ProfileFields.PATHS,
        "ontario_work_months": "ontario_work_months",
        "practice_noc": "practice.noc",
        "practice_census_division": "practice.census_division",
    }

    def __init__(self, *args: Any, stream: str, pathway: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream
        self.pathway = pathway
        self.has_pathways = bool(streams.pathway_choices(stream))
        self.physician = self.has_pathways and not is_employer_stream(stream, pathway)
        f = self.fields
        if not is_employer_stream(stream, pathway) and not self.physician:
            del f["job_tenure_months"]
        if not self.has_pathways or self.physician:
            # The grid's fallback ladder of months in any job is the workers' (DOMAIN §9).
            del f["ontario_work_months"]
        if self.physician:
            f["job_tenure_months"].label = _("Months of medical practice in Ontario")
            noc = f["practice_noc"]
            noc.required = True
            noc.label = _("Practice NOC 2021 code")
            noc.help_text = ""
            noc.widget = forms.Select(choices=practice_noc_choices(stream, pathway))
            place = f["practice_census_division"]
            place.required = True
            place.label = _("Practice location (the census division of your OHIP practice address)")
            self.order_fields(["practice_noc", "practice_census_division", "job_tenure_months"])
        else:
            del f["practice_noc"]
            del f["practice_census_division"]
        if self.has_pathways:
            # Not scored by the 2026 grid (INTERFACES §2): not asked.
            del f["education_field"]
            del f["study_census_division"]

    def add_service_errors(self, message: str, fields: Any) -> None:
        """Map dotted document paths back onto the form's fields."""
        by_path = {path: name for name, path in self.PATHS.items()}
        mapped = {by_path.get(key, key): value for key, value in fields.items()}
        super().add_service_errors(message, mapped)

    def document(self) -> dict[str, Any]:
        """The profile document's declared parts (no stream, job offer or registration)."""
        data = self.cleaned_data
        earnings = data.get("highest_annual_earnings")
        doc: dict[str, Any] = {}
        if self.has_pathways:
            doc["pathway"] = self.pathway
        doc.update(
            {
                "permit": data["permit"],
                "job_tenure_months": data.get("job_tenure_months") or 0,
                "highest_annual_earnings": float(earnings) if earnings is not None else 0,
                "languages": {
                    "english": _int(data.get("english")),
                    "french": _int(data.get("french")),
                },
            }
        )
        if "job_tenure_months" not in self.fields:
            doc.pop("job_tenure_months")
        if self.has_pathways and not self.physician:
            doc["ontario_work_months"] = data.get("ontario_work_months") or 0
        if self.physician:
            doc["practice"] = {
                "noc": data.get("practice_noc") or None,
                "census_division": data.get("practice_census_division") or None,
            }
        if data.get("education_level") or data.get("education_field"):
            education = {
                "level": data.get("education_level") or None,
                "field": data.get("education_field") or None,
                "canadian_credentials": data.get("canadian_credentials") or 0,
                "study_census_division": data.get("study_census_division") or None,
            }
            if self.has_pathways:
                education = {k: education[k] for k in ("level", "canadian_credentials")}
            doc["education"] = education
        return doc

    @staticmethod
    def initial_from(document: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from a stored profile document."""
        education = document.get("education") or {}
        languages = document.get("languages") or {}
        practice = document.get("practice") or {}
        return {
            "permit": document.get("permit", "none"),
            "job_tenure_months": document.get("job_tenure_months"),
            "ontario_work_months": document.get("ontario_work_months"),
            "highest_annual_earnings": document.get("highest_annual_earnings"),
            "education_level": education.get("level") or "",
            "education_field": education.get("field") or "",
            "canadian_credentials": education.get("canadian_credentials"),
            "study_census_division": education.get("study_census_division") or "",
            "english": str(languages.get("english") or ""),
            "french": str(languages.get("french") or ""),
            "practice_noc": practice.get("noc") or "",
            "practice_census_division": practice.get("census_division") or "",
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

    def __init__(
        self,
        *args: Any,
        rules: StreamPolicy,
        pathway: PathwayPolicy | None = None,
        ohip_on_file: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ohip_on_file = ohip_on_file
        if pathway is not None:
            self._pathway_fields(pathway)
            number = self.fields.get("ohip_billing_number")
            if number is not None and ohip_on_file:
                number.required = False
                number.help_text = _("Leave it empty to keep the number on file.")
            return
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

    def _pathway_fields(self, own: PathwayPolicy) -> None:
        """The facts a 2026 pathway's minimum requirements read (DOMAIN §9)."""
        f = self.fields
        if own.min_position_months_last_12 is not None:
            f["position_months_last_12"] = _months(
                _("Consecutive full-time months in the job-offer position in the last 12 months")
            )
        if own.min_experience_months_in_noc is not None:
            f["experience_months_in_noc_last_5y"] = _months(
                _("Months of full-time experience in the job offer's NOC in the last 5 years")
            )
        if own.licence_substitutes_experience:
            f["ontario_licence"] = _yes_no(
                _("Do you hold an Ontario licence for this occupation?"),
                _("Only where the occupation is regulated in Ontario."),
            )
        if own.post_secondary_required:
            f["post_secondary"] = forms.ChoiceField(
                label=_("Your highest post-secondary credential"),
                choices=[(k, POST_SECONDARY_LABELS[k]) for k in POST_SECONDARY],
            )
        if own.recent_graduate is not None:
            kinds = [
                (k, v)
                for k, v in CREDENTIAL_KINDS_2026
                if k in own.recent_graduate.credential_min_months
            ]
            f["credential_in_ontario"] = _yes_no(
                _("Did you graduate from an eligible Ontario institution?"),
                _("A recent Ontario graduate needs no language test, or less experience."),
            )
            f["credential_kind"] = forms.ChoiceField(
                label=_("That Ontario credential"),
                choices=[("", _("None")), *kinds],
                required=False,
            )
            f["credential_completed_on"] = forms.DateField(
                label=_("Date you completed it (all requirements)"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            f["credential_length_months"] = forms.IntegerField(
                label=_("Length of the program, full-time months"),
                required=False,
                min_value=0,
                max_value=600,
            )
        if own.min_ontario_position_months_last_24 is not None:
            f["ontario_position_months_last_24"] = _months(
                _("Months of full-time work in Ontario in the job-offer position, last 2 years")
            )
        if own.high_school_required:
            f["high_school_equivalent"] = _yes_no(
                _("Do you hold a Canadian high-school diploma or its equivalent?")
            )
        if own.practice_classes is not None:
            f["cpso_class"] = forms.ChoiceField(
                label=_(
                    "Your certificate class with the College of Physicians and Surgeons of Ontario"
                ),
                choices=[("", _("Choose your class"))]
                + [(c, CPSO_CLASS_LABELS.get(c, c)) for c in own.practice_classes]
                + [("other", CPSO_CLASS_LABELS["other"])],
            )
        if own.ohip_billing_required:
            f["ohip_billing_number"] = forms.CharField(
                label=_("Your OHIP billing number"),
                max_length=20,
                help_text=OHIP_SHAPE_HELP,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def clean_ohip_billing_number(self) -> str:
        """Present, and of the shape of an OHIP billing number (kept without spaces)."""
        value = normalise_ohip(self.cleaned_data.get("ohip_billing_number") or "")
        if not value and self.ohip_on_file:
            return ""
        if not ohip_shape_ok(value):
            raise forms.ValidationError(OHIP_SHAPE_HELP)
        return value

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
