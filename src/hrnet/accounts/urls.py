from django.contrib.auth import views as auth_views
from django.urls import path

from hrnet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("two-factor/", views.profile, name="two_factor_setup"),
    path("invitations/", views.profile, name="invitation_list"),
]
