"""The staff side of programme applications over the API (tag "programs"): the rules,
questions and quiz bank; the applications with their reasons; accept and reject.

Staff-only like the rest of moderation.api.programs; the writes are moderation's
audited verbs.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts.models import (
    APPLY_RULE_FIELDS,
    ApplicationState,
    Program,
    ProgramApplication,
    ProgramApplyRules,
)
from config.api_schema import api_doc
from config.http import client_ip
from moderation import services

from .programs import STAFF_ONLY, StaffProgramApiListView, StaffProgramApiView


class QuizItemIO(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=2, max_length=6
    )
    answer = serializers.IntegerField(
        min_value=0, max_value=5, help_text="Index of the right choice."
    )


class ApplyRulesOut(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    quiz = serializers.SerializerMethodField()

    class Meta:
        model = ProgramApplyRules
        fields = [*APPLY_RULE_FIELDS, "questions", "quiz", "updated_at"]

    def get_questions(self, rules) -> list[str]:
        return [q.text for q in rules.program.apply_questions.all()]

    def get_quiz(self, rules) -> list[dict]:
        return [
            {"text": i.text, "choices": i.choices, "answer": i.answer}
            for i in rules.program.quiz_items.all()
        ]


class ApplyRulesIn(serializers.ModelSerializer):
    questions = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=20,
        help_text="Replaces the form's questions when given.",
    )
    quiz = QuizItemIO(many=True, required=False, help_text="Replaces the quiz bank when given.")

    class Meta:
        model = ProgramApplyRules
        fields = [*APPLY_RULE_FIELDS, "questions", "quiz"]


class StaffApplicationOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    decided_by = serializers.CharField(
        source="decided_by.username", allow_null=True, default=None, read_only=True
    )
    answers = serializers.ListField(child=serializers.DictField())
    quiz = serializers.ListField(child=serializers.DictField())
    criteria = serializers.ListField(
        child=serializers.DictField(),
        help_text="Each criterion: key, label, need, have, passed.",
    )

    class Meta:
        model = ProgramApplication
        fields = [
            "id",
            "username",
            "state",
            "answers",
            "quiz_day",
            "quiz",
            "quiz_correct",
            "quiz_total",
            "quiz_passed",
            "criteria",
            "criteria_passed",
            "submitted_at",
            "decided_at",
            "decided_by",
            "automatic",
            "decision_reason",
        ]


class ApplicationRejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Told to the applicant.")


def _rules_out(program: Program):
    rules = account_selectors.apply_rules(program)
    if rules is None:
        rules = ProgramApplyRules(program=program)
    return ApplyRulesOut(rules).data


class StaffProgramApplyRules(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="A programme's application rules, questions and quiz bank (staff)",
        permission=STAFF_ONLY,
        responses={200: ApplyRulesOut},
        errors=(403, 404),
        description="A programme never opened for applications answers the defaults.",
    )
    def get(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        return Response(_rules_out(program))

    @api_doc(
        tag="programs",
        summary="Set a programme's application rules (staff)",
        permission=STAFF_ONLY,
        request=ApplyRulesIn,
        responses={200: ApplyRulesOut},
        errors=(400, 403, 404),
        description=(
            "Audited with the fields that changed. Fields left out keep their value; "
            "`questions` and `quiz` replace the form's questions and the quiz bank."
        ),
    )
    def put(self, request, program_id):
        program = get_object_or_404(Program, pk=program_id)
        data = ApplyRulesIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        questions = fields.pop("questions", None)
        quiz = fields.pop("quiz", None)
        services.program_apply_rules_set(
            program=program,
            actor=request.user,
            fields=fields,
            questions=questions,
            quiz=[dict(item) for item in quiz] if quiz is not None else None,
            ip=client_ip(request),
        )
        return Response(_rules_out(Program.objects.get(pk=program.pk)))


class StaffProgramApplications(StaffProgramApiListView):
    serializer_class = StaffApplicationOut
    ordering = ("-submitted_at", "-id")

    def get_queryset(self):
        program = get_object_or_404(Program, pk=self.kwargs["program_id"])
        state = self.request.query_params.get("state", ApplicationState.PENDING)
        if state not in ApplicationState.values:
            raise serializers.ValidationError({"state": [_("Choose one of the states.")]})
        return account_selectors.program_applications(program, state)

    @api_doc(
        tag="programs",
        summary="A programme's applications with their reasons (staff)",
        permission=STAFF_ONLY,
        responses={200: StaffApplicationOut(many=True)},
        errors=(400, 403, 404),
        parameters=[
            OpenApiParameter(
                name="state",
                type=str,
                enum=list(ApplicationState.values),
                required=False,
                description="Default: pending.",
            )
        ],
        description="Newest first, each with its answers, quiz and criteria (what passed).",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _application(program_id: int, application_id: int) -> ProgramApplication:
    return get_object_or_404(
        ProgramApplication.objects.select_related("user", "program"),
        pk=application_id,
        program_id=program_id,
    )


def _application_out(pk: int) -> dict:
    return StaffApplicationOut(
        ProgramApplication.objects.select_related("user", "decided_by").get(pk=pk)
    ).data


class StaffApplicationAccept(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="Accept an application (staff)",
        permission=STAFF_ONLY,
        responses={200: StaffApplicationOut},
        errors=(403, 404, 409),
        description=(
            "Audited; takes a seat and makes the applicant a member, or nothing: no seat "
            "free, the programme closed or the application decided already is a 409."
        ),
    )
    def post(self, request, program_id, application_id):
        application = _application(program_id, application_id)
        services.program_application_accept(
            application=application, actor=request.user, ip=client_ip(request)
        )
        return Response(_application_out(application.pk))


class StaffApplicationReject(StaffProgramApiView):
    @api_doc(
        tag="programs",
        summary="Reject an application (staff)",
        permission=STAFF_ONLY,
        request=ApplicationRejectIn,
        responses={200: StaffApplicationOut},
        errors=(400, 403, 404, 409),
        description="Audited; the applicant is told why. Decided already is a 409.",
    )
    def post(self, request, program_id, application_id):
        application = _application(program_id, application_id)
        data = ApplicationRejectIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.program_application_reject(
            application=application,
            actor=request.user,
            reason=data.validated_data["reason"],
            ip=client_ip(request),
        )
        return Response(_application_out(application.pk))
