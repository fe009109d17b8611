"""The calculator form: the profile document's fields as a flat form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.validators import DecimalValidator, MaxValueValidator
from django.utils.translation import gettext_lazy as _

from nominee.core.timeutil import today
from nominee.program import streams
from nominee.reference.models import CensusDivision

PERMITS = [("work", _("Work permit")), ("study", _("Study permit")), ("none", _("No permit"))]
LEVELS = [
    ("", _("Not declared")),
    ("phd", _("PhD")),
    (
        "professional-degree",
        _("Professional degree (medicine, dentistry, veterinary medicine, optometry)"),
    ),
    ("masters", _("Master's degree")),
    ("bachelors", _("Bachelor's degree")),
    ("graduate-certificate", _("Graduate diploma or certificate (above a bachelor's)")),
    ("college-graduate-certificate", _("Ontario college graduate certificate")),
    ("undergraduate-diploma", _("Undergraduate diploma or certificate, or a college diploma")),
    ("apprenticeship", _("Apprenticeship or trades certificate")),
    ("secondary-or-less", _("Secondary school or less")),
]
FIELDS = [
    ("", _("Not declared")),
    ("stem", _("Science, technology, engineering or mathematics")),
    ("health", _("Health")),
    ("trades", _("Trades")),
    ("business", _("Business and administration")),
    ("social", _("Social sciences")),
    ("legal", _("Legal")),
    ("education", _("Education")),
    ("services", _("Personal, security or transport services")),
    ("arts", _("Arts")),
    ("humanities", _("Humanities")),
    ("other", _("Other")),
]
CLB = [("", _("No valid test"))] + [(str(n), f"CLB {n}") for n in range(1, 13)]


def mark_conditional(form: forms.Form, *names: str) -> None:
    """Fields the answers around them make required (the stream chosen): the form lets
    them be empty, so ``includes/form_field.html`` must not call them optional."""
    for name in names:
        if name in form.fields:
            form.fields[name].conditional = True  # type: ignore[attr-defined]


# The engine's messages are written for the API (JSON types, document paths); a person
# filling in the form reads these instead (the engine's own when none fits).
PLAIN_MESSAGES = {
    "is required": _("Answer this question for the stream chosen."),
    "must be a 5-digit NOC 2021 code, as a string": _(
        "Enter a 5-digit NOC 2021 code, for example 21231."
    ),
    "must be a 4-digit Ontario census division code (35xx)": _("Choose a census division."),
    "must be a 4-digit Ontario census division code (35xx), or null": _(
        "Choose a census division, or leave it empty."
    ),
    "must be a CLB level from 1 to 12, or null for no valid test": _(
        "Choose a CLB level from 1 to 12, or no valid test."
    ),
    "must not be negative": _("Enter zero or more."),
    "must be a whole number": _("Enter a whole number."),
    "must be a number": _("Enter a number."),
    "must be a string": _("Enter text."),
    "must be an object": _("Answer the questions of this part."),
    "is not a field of the profile document": _("This question does not apply."),
}


def plain_message(message: str) -> str:
    """The engine's field message as the form says it."""
    if message in PLAIN_MESSAGES:
        return str(PLAIN_MESSAGES[message])
    if message.startswith("unknown ") and "; expected one of" in message:
        return str(_("Choose one of the options offered."))
    return message


def _divisions(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(cd.code, cd.name) for cd in CensusDivision.objects.order_by("name")]


class ProfileFields(forms.Form):
    """The fields of what a person declares in a profile document (INTERFACES §1): permit,
    tenure, earnings, education and languages. Shared by the calculator and the EOI forms.

    ``PATHS`` maps each field to its dotted document path, so that the engine's errors land
    on the field. ``BOUNDS`` caps whole-number fields (a form that stores the answer wants
    them; the calculator takes any figure the engine takes).
    """

    permit = forms.ChoiceField(
        label=_("Permit conferring status in Canada"),
        choices=PERMITS,
        initial="none",
        widget=forms.RadioSelect,
    )
    job_tenure_months = forms.IntegerField(
        label=_("Months in the job-offer position in Ontario"), required=False, min_value=0
    )
    highest_annual_earnings = forms.DecimalField(
        label=_("Highest Canadian employment income in one year, last 5 years (CAD)"),
        required=False,
        min_value=0,
    )
    education_level = forms.ChoiceField(
        label=_("Highest education"), choices=LEVELS, required=False
    )
    education_field = forms.ChoiceField(label=_("Field of study"), choices=FIELDS, required=False)
    canadian_credentials = forms.IntegerField(
        label=_("Canadian credentials of at least one year full-time"),
        required=False,
        min_value=0,
    )
    study_census_division = forms.ChoiceField(
        label=_("Where you studied in person in Ontario"), required=False
    )
    english = forms.ChoiceField(
        label=_("English: lowest CLB of the four abilities"), choices=CLB, required=False
    )
    french = forms.ChoiceField(
        label=_("French: lowest CLB of the four abilities"), choices=CLB, required=False
    )

    PATHS: ClassVar[dict[str, str]] = {
        "permit": "permit",
        "job_tenure_months": "job_tenure_months",
        "highest_annual_earnings": "highest_annual_earnings",
        "education_level": "education.level",
        "education_field": "education.field",
        "canadian_credentials": "education.canadian_credentials",
        "study_census_division": "education.study_census_division",
        "english": "languages.english",
        "french": "languages.french",
    }
    BOUNDS: ClassVar[dict[str, int]] = {}
    #: ``(max_digits, decimal_places)`` of the earnings, or None for any number.
    EARNINGS_DIGITS: ClassVar[tuple[int, int] | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        study = self.fields["study_census_division"]
        assert isinstance(study, forms.ChoiceField)
        study.choices = _divisions(str(_("Not studied in person in Ontario")))
        for name, bound in self.BOUNDS.items():
            field = self.fields.get(name)
            if isinstance(field, forms.IntegerField):
                field.max_value = bound
                field.validators.append(MaxValueValidator(bound))
                field.widget.attrs["max"] = str(bound)
        earnings = self.fields.get("highest_annual_earnings")
        if self.EARNINGS_DIGITS is not None and isinstance(earnings, forms.DecimalField):
            digits, places = self.EARNINGS_DIGITS
            earnings.max_digits, earnings.decimal_places = digits, places
            earnings.validators.append(DecimalValidator(digits, places))
            earnings.widget.attrs["step"] = str(Decimal(1).scaleb(-places))


# Form field -> dotted path in the profile document, so that the engine's field errors
# land on the right form field.
DOCUMENT_PATHS = {
    "stream": "stream",
    "pathway": "pathway",
    "noc": "job_offer.noc",
    "hourly_wage": "job_offer.hourly_wage",
    "census_division": "job_offer.census_division",
    "practice_noc": "practice.noc",
    "practice_census_division": "practice.census_division",
    **ProfileFields.PATHS,
    "ontario_work_months": "ontario_work_months",
    "at": "at",
}
EMPLOYER_STREAMS = streams.JOB_OFFER_STREAMS


def stream_choices_today() -> list[tuple[str, str]]:
    """Every stream, those open today first (the calculator offers today's program first),
    each closed or future one named with its dates."""
    day = today()
    first, later = [], []
    for code, name in streams.choices():
        info = streams.info(code)
        if info.open_on(day):
            first.append((code, name))
        else:
            later.append((code, f"{name} ({info.dates_in_words()})"))
    return first + later


def pathway_choices() -> list[tuple[str, str]]:
    """``("", none)`` and every pathway of every stream that has them, named with its stream."""
    out: list[tuple[str, str]] = [("", str(_("None (the stream has no pathways)")))]
    for code in streams.codes():
        for pathway, name in streams.pathway_choices(code):
            out.append((pathway, f"{streams.name(code)}: {name}"))
    return out


class WorkforcePriorityFields(forms.Form):
    """The fields the 2026 stream adds to the profile document (INTERFACES §1): Ontario
    work months, and a physician's practice NOC and location. Shared by the calculator and
    the EOI registration forms."""

    ontario_work_months = forms.IntegerField(
        label=_("Months working in Ontario in any job"),
        required=False,
        min_value=0,
        help_text=_("Ontario Workforce Priority: scored when the job-offer months are fewer."),
    )
    practice_noc = forms.CharField(
        label=_("Physicians: practice NOC 2021 code"),
        required=False,
        max_length=5,
        help_text=_("31100, 31101 or 31102."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    practice_census_division = forms.ChoiceField(
        label=_("Physicians: OHIP practice location"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("practice_census_division")
        if isinstance(field, forms.ChoiceField):
            field.choices = _divisions(str(_("Choose a census division")))
        # Required for a physician (the stream decides, not the form): no "(optional)".
        mark_conditional(self, "practice_noc", "practice_census_division")


class CalculatorForm(WorkforcePriorityFields, ProfileFields):
    """Collects a profile document; the engine, not the form, decides what is valid."""

    field_order = [
        "stream",
        "pathway",
        "at",
        "noc",
        "hourly_wage",
        "census_division",
        "practice_noc",
        "practice_census_division",
    ]

    stream = forms.ChoiceField(label=_("Stream"), choices=stream_choices_today)
    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=pathway_choices,
        required=False,
        help_text=_("Ontario Workforce Priority only: TEER 0-3, TEER 4-5 or physicians."),
    )
    at = forms.DateField(
        label=_("Score as of"),
        required=False,
        help_text=_("The grid in force on this date scores the profile. Default: today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    noc = forms.CharField(
        label=_("Job offer: NOC 2021 code"),
        required=False,
        max_length=5,
        help_text=_("Employer streams only. Five digits, e.g. 21231."),
        widget=forms.TextInput(attrs={"list": "noc-codes", "inputmode": "numeric"}),
    )
    hourly_wage = forms.DecimalField(
        label=_("Job offer: hourly wage (CAD)"), required=False, min_value=0, decimal_places=2
    )
    census_division = forms.ChoiceField(label=_("Job offer: work location"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["census_division"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _divisions(str(_("Choose a census division")))
        # Required by the streams that take a job offer (and pathways by the streams
        # that have them): the engine says so for the stream chosen; no "(optional)".
        mark_conditional(self, "pathway", "noc", "hourly_wage", "census_division")

    def document(self) -> dict[str, Any]:
        """The profile document the cleaned fields describe (call after is_valid()).

        A pathway is sent only to a stream that has pathways; a stream without them that
        is sent one hears so from the engine, as an API caller would.
        """
        data = self.cleaned_data
        stream, pathway = data["stream"], data.get("pathway") or None
        has_pathways = bool(streams.pathway_choices(stream))
        doc: dict[str, Any] = {"stream": stream}
        if pathway is not None:
            doc["pathway"] = pathway
        doc.update(
            {
                "permit": data["permit"],
                "job_tenure_months": data.get("job_tenure_months") or 0,
                "highest_annual_earnings": float(data.get("highest_annual_earnings") or 0),
                "languages": {
                    "english": int(data["english"]) if data.get("english") else None,
                    "french": int(data["french"]) if data.get("french") else None,
                },
            }
        )
        if has_pathways:
            doc["ontario_work_months"] = data.get("ontario_work_months") or 0
        known = pathway is None or pathway in dict(streams.pathway_choices(stream))
        if (
            known
            and has_pathways
            and pathway is not None
            and not streams.takes_job_offer(stream, pathway)
        ):
            doc["practice"] = {
                "noc": data.get("practice_noc") or None,
                "census_division": data.get("practice_census_division") or None,
            }
        elif stream in EMPLOYER_STREAMS:
            wage = data.get("hourly_wage")
            doc["job_offer"] = {
                "noc": data.get("noc") or None,
                "hourly_wage": float(wage) if wage is not None else None,
                "census_division": data.get("census_division") or None,
            }
        if data.get("education_level") or data["stream"] not in EMPLOYER_STREAMS:
            doc["education"] = {
                "level": data.get("education_level") or None,
                "field": data.get("education_field") or None,
                "canadian_credentials": data.get("canadian_credentials") or 0,
                "study_census_division": data.get("study_census_division") or None,
            }
        return doc

    def add_document_errors(self, fields: dict[str, list[str]]) -> None:
        """Attach the engine's errors (keyed by document path) to the form's fields."""
        by_path = {path: name for name, path in DOCUMENT_PATHS.items()}
        for path, messages in fields.items():
            name = by_path.get(path)
            if name is None:
                # A whole sub-document is missing (e.g. "job_offer"): show it on its first field.
                name = next(
                    (n for n, p in DOCUMENT_PATHS.items() if p.startswith(path + ".")), None
                )
            for message in messages:
                self.add_error(name, plain_message(message))
