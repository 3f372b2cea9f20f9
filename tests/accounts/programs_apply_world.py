"""Programmes open for applications, for tests: rules, questions, a quiz bank with known
answers, and helpers that answer the day's quiz right (or wrong) as a member would."""

from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from moderation import services as moderation_services

from .programs_world import make_program, programme_staff

QUESTIONS = ["Which device do you use daily?", "Why do you want to test this build?"]
QUIZ = [
    {
        "text": f"Question {n}: how do you capture a log?",
        "choices": ["A", "B", "C"],
        "answer": n % 3,
    }
    for n in range(8)
]


def open_program(*, seats=10, auto_accept=False, quiz_per_day=3, pass_mark=2, **rules):
    program = make_program(seats=seats, **rules.pop("program", {}))
    moderation_services.program_apply_rules_set(
        program=program,
        actor=programme_staff(),
        fields={
            "accepting_applications": True,
            "auto_accept": auto_accept,
            "quiz_per_day": quiz_per_day,
            "quiz_pass_mark": pass_mark,
            **rules,
        },
        questions=QUESTIONS,
        quiz=QUIZ,
    )
    program.refresh_from_db()
    return program


def answers_for(program) -> dict[int, str]:
    return {q.pk: f"Answer to {q.text}" for q in program.apply_questions.all()}


def quiz_for(program, user, *, right: int | None = None) -> dict[int, int]:
    """Choices for the day's draw: all right, or only the first `right` of them right."""
    rules = account_selectors.apply_rules(program)
    drawn = account_selectors.quiz_draw(program, user, timezone.localdate(), rules.quiz_per_day)
    chosen = {}
    for index, item in enumerate(drawn):
        good = right is None or index < right
        chosen[item.pk] = item.answer if good else (item.answer + 1) % len(item.choices)
    return chosen


def apply(program, user, *, right: int | None = None):
    return account_services.program_apply(
        user=user,
        program=program,
        answers=answers_for(program),
        quiz=quiz_for(program, user, right=right),
    )
