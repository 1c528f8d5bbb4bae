from django.urls import path

from huying.public import views

app_name = "public"
urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.case, name="case"),
    path("track/<str:number>/rate/", views.rate, name="rate"),
    path("mine/", views.mine, name="mine"),
]
