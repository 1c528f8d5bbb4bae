from django.urls import path

from huying.console.views import case, intake, lists

app_name = "console"
urlpatterns = [
    path("intake/", intake.intake, name="intake"),
    path("intake/hints/", intake.hints, name="hints"),
    path("dispatch/", lists.dispatch, name="dispatch"),
    path("inbox/", lists.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", lists.notification_read, name="notification_read"),
    path("supervise/", lists.supervise, name="supervise"),
    path("followups/", lists.followups, name="followups"),
    path("cases/", lists.cases, name="cases"),
    path("search/", lists.search, name="search"),
    path("cases/<str:number>/", case.case_page, name="case"),
    path("cases/<str:number>/<str:action>/", case.act, name="act"),
]
