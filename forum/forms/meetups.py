from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import City
from config.ids import IdModelChoiceField
from forum.validators import validate_body, validate_title

_LOCAL = "%Y-%m-%dT%H:%M"


def _moment(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
    )


class MeetupForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), validators=[validate_title])
    city = IdModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.all())
    starts_at = _moment(gettext_lazy("Starts"))
    ends_at = _moment(gettext_lazy("Ends"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    capacity = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=100_000)
    waitlist_capacity = forms.IntegerField(
        label=gettext_lazy("Waiting-list places"), min_value=0, max_value=100_000, initial=0
    )
    signup_deadline = _moment(gettext_lazy("Sign-ups close"))
    questions = forms.CharField(
        label=gettext_lazy("Questions for sign-up (one per line, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=gettext_lazy("About the meetup"),
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": gettext_lazy("Markdown is supported")}
        ),
        validators=[validate_body],
    )

    def clean_questions(self):
        return [
            line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()
        ]


class SignupForm(forms.Form):
    """One answer field per question the organiser asked."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions):
            self.fields[f"answer_{number}"] = forms.CharField(label=question, max_length=200)
        self.question_count = len(questions)

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{n}"] for n in range(self.question_count)]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Check-in code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
