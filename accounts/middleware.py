from accounts.services import visit_record


class DailyVisitMiddleware:
    """Record a signed-in member's visit once a day (accounts.services.activity says how).

    After the view, so the user the view already loaded is reused; anonymous
    requests are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            visit_record(user_id=user.pk)
        return response
