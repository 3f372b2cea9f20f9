"""The staff's programme addresses (moderation.api.programs), included by config.api
under /api/v1/."""

from django.urls import path

from moderation.api import programs, programs_apply

urlpatterns = [
    path("staff/programs/", programs.StaffPrograms.as_view(), name="staff_programs"),
    path(
        "staff/programs/free-boards/",
        programs.StaffProgramFreeBoards.as_view(),
        name="staff_program_free_boards",
    ),
    path(
        "staff/programs/<id:program_id>/",
        programs.StaffProgram.as_view(),
        name="staff_program",
    ),
    path(
        "staff/programs/<id:program_id>/seats/",
        programs.StaffProgramSeats.as_view(),
        name="staff_program_seats",
    ),
    path(
        "staff/programs/<id:program_id>/candidates/",
        programs.StaffProgramCandidates.as_view(),
        name="staff_program_candidates",
    ),
    path(
        "staff/programs/<id:program_id>/candidates/refresh/",
        programs.StaffProgramCandidatesRefresh.as_view(),
        name="staff_program_candidates_refresh",
    ),
    path(
        "staff/programs/<id:program_id>/candidates/invite/",
        programs.StaffProgramCandidatesInvite.as_view(),
        name="staff_program_candidates_invite",
    ),
    path(
        "staff/programs/<id:program_id>/memberships/",
        programs.StaffProgramMemberships.as_view(),
        name="staff_program_memberships",
    ),
    path(
        "staff/programs/<id:program_id>/memberships/<id:membership_id>/remove/",
        programs.StaffProgramRemove.as_view(),
        name="staff_program_remove",
    ),
    path(
        "staff/programs/<id:program_id>/application-rules/",
        programs_apply.StaffProgramApplyRules.as_view(),
        name="staff_program_apply_rules",
    ),
    path(
        "staff/programs/<id:program_id>/applications/",
        programs_apply.StaffProgramApplications.as_view(),
        name="staff_program_applications",
    ),
    path(
        "staff/programs/<id:program_id>/applications/<id:application_id>/accept/",
        programs_apply.StaffApplicationAccept.as_view(),
        name="staff_program_application_accept",
    ),
    path(
        "staff/programs/<id:program_id>/applications/<id:application_id>/reject/",
        programs_apply.StaffApplicationReject.as_view(),
        name="staff_program_application_reject",
    ),
]
