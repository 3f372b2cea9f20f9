"""The application form: the programme's questions and the quiz drawn for the member today."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationForm(forms.Form):
    quiz_day = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, questions=(), quiz=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz_day"].initial = timezone.localdate().isoformat()
        self.question_names = []
        for question in questions:
            name = f"question_{question.pk}"
            self.fields[name] = forms.CharField(
                label=question.text,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("Answer this question.")},
            )
            self.question_names.append(name)
        self.quiz_names = []
        for item in quiz:
            name = f"quiz_{item.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=item.text,
                choices=list(enumerate(item.choices)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
            self.quiz_names.append(name)

    def question_fields(self):
        return [self[name] for name in self.question_names]

    def quiz_fields(self):
        return [self[name] for name in self.quiz_names]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": {int(n.split("_")[1]): data[n] for n in self.question_names},
            "quiz": {int(n.split("_")[1]): data[n] for n in self.quiz_names},
            "quiz_day": data["quiz_day"],
        }
