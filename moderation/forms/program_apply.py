from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import APPLY_RULE_FIELDS, ProgramApplyRules


class ApplyRulesForm(forms.ModelForm):
    """A programme's application rules; questions one a line; the quiz bank one question a
    line as `question | choice | *right choice | choice`. The service re-validates."""

    questions = forms.CharField(
        label=_("Application questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question a line."),
    )
    quiz = forms.CharField(
        label=_("Quiz bank"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question a line: question | choice | *right choice | choice"),
    )

    class Meta:
        model = ProgramApplyRules
        fields = list(APPLY_RULE_FIELDS)

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is not None and not self.is_bound:
            self.initial["questions"] = "\n".join(q.text for q in program.apply_questions.all())
            self.initial["quiz"] = "\n".join(
                " | ".join(
                    [item.text]
                    + [("*" if i == item.answer else "") + c for i, c in enumerate(item.choices)]
                )
                for item in program.quiz_items.all()
            )

    def clean_questions(self):
        return [
            line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()
        ]

    def clean_quiz(self):
        items = []
        for number, line in enumerate(self.cleaned_data["quiz"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            text, choices = parts[0], parts[1:]
            right = [i for i, c in enumerate(choices) if c.startswith("*")]
            if len(right) != 1:
                raise forms.ValidationError(
                    _("Line %(n)d: mark exactly one choice right with *.") % {"n": number}
                )
            items.append(
                {
                    "text": text,
                    "choices": [c.removeprefix("*").strip() for c in choices],
                    "answer": right[0],
                }
            )
        return items

    def rule_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLY_RULE_FIELDS}


class RejectApplicationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
