"""Private messages (私信) and bookmarks: the member's own pages, never cached."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.http import refusal_page, refuse, safe_next
from forum import permissions, selectors, services
from forum.forms import BookmarkForm, ConversationForm, MessageForm, apply_errors
from forum.models import Post


@login_required
def conversation_list(request):
    rows, after = selectors.conversation_page(request.user, after=request.GET.get("after"))
    return render(
        request,
        "forum/messages/list.html",
        {"rows": rows, "after": after, "denied": permissions.messaging_denied_reason(request.user)},
    )


@login_required
def conversation_new(request):
    denied = permissions.messaging_denied_reason(request.user)
    if denied:
        return refusal_page(request, denied)
    initial = {"recipients": request.GET.get("to", "")[:150]}
    form = ConversationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_start(
                author=request.user,
                recipients=form.recipient_names(),
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except PermissionDenied as exc:
            return refusal_page(request, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(conversation)
    return render(request, "forum/messages/new.html", {"form": form})


@login_required
def conversation_detail(request, pk):
    participant = selectors.my_participation(request.user, pk)
    conversation = participant.conversation
    rows, older = selectors.message_page(participant, before=request.GET.get("before"))
    if rows and not request.GET.get("before"):
        services.conversation_mark_read(participant=participant, up_to=rows[-1].pk)
    return render(
        request,
        "forum/messages/detail.html",
        {
            "conversation": conversation,
            "participant": participant,
            "participants": selectors.participants_of(conversation.pk),
            "rows": rows,
            "older": older,
            "form": MessageForm(),
            "denied": permissions.messaging_denied_reason(request.user),
        },
    )


@login_required
@require_POST
def message_send(request, pk):
    participant = selectors.my_participation(request.user, pk)
    conversation = participant.conversation
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                conversation=conversation, author=request.user, body=form.cleaned_data["body"]
            )
        except PermissionDenied as exc:
            return refuse(request, str(exc), back=conversation.get_absolute_url())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(conversation.get_absolute_url() + "#latest")
    rows, older = selectors.message_page(participant)
    context = {
        "conversation": conversation,
        "participant": participant,
        "participants": selectors.participants_of(conversation.pk),
        "rows": rows,
        "older": older,
        "form": form,
    }
    return render(request, "forum/messages/detail.html", context, status=400)


@login_required
@require_POST
def conversation_leave(request, pk):
    participant = selectors.my_participation(request.user, pk)
    services.conversation_leave(participant=participant)
    flash.success(request, _("You left the conversation."))
    return redirect("forum:conversations")


# Bookmarks ---------------------------------------------------------------------------


@login_required
def bookmark_list(request):
    rows, after = selectors.bookmark_page(request.user, after=request.GET.get("after"))
    return render(request, "forum/bookmarks/list.html", {"rows": rows, "after": after})


@login_required
@require_POST
def bookmark_add(request, post_id):
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=post_id)
    if not permissions.can_view_post(request.user, post):
        return refusal_page(request, _("You cannot see this post."), status=404)
    back = safe_next(request, post.get_absolute_url())
    form = BookmarkForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.bookmark_add(user=request.user, post=post, note=note)
    except PermissionDenied as exc:
        return refuse(request, str(exc), back=back)
    flash.success(request, _("Bookmarked."))
    return redirect(back)


@login_required
@require_POST
def bookmark_remove(request, post_id):
    services.bookmark_remove(user=request.user, post_id=post_id)
    return redirect(safe_next(request, reverse("forum:bookmarks")))
