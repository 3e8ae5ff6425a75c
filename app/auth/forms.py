"""Account forms: validation lives here once, for every view that uses it."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problem
from app.forms import Form, choices, strip

ROLE_CHOICES = [
    ("athlete", "Runner — I want to run without knee pain"),
    ("coach", "Coach or physio — I look after runners"),
    ("both", "Both — I run and I coach"),
]


def _strong_password(form, field) -> None:
    email = getattr(getattr(form, "email", None), "data", "") or ""
    name = getattr(getattr(form, "display_name", None), "data", "") or ""
    problem = password_problem(field.data or "", email, name)
    if problem:
        raise ValidationError(problem)


class SignupForm(Form):
    email = EmailField(
        "Email", filters=[strip],
        validators=[DataRequired("Enter your email address."), Length(max=254),
                    Email("Enter an email address like name@example.com.")],
    )
    display_name = StringField(
        "Your name", filters=[strip],
        description="Shown to your coach. 80 characters at most.",
        validators=[DataRequired("Enter the name to show."),
                    Length(max=80, message="Use 80 characters or fewer.")],
    )
    password = PasswordField(
        "Password", description="At least 10 characters; a short phrase works well.",
        validators=[DataRequired("Choose a password."), _strong_password],
    )
    role = RadioField("I am a…", choices=choices(ROLE_CHOICES), default="athlete",
                      validators=[InputRequired("Choose how you'll use KneeReady.")])
    accept_disclaimer = BooleanField(
        "I understand KneeReady is educational only, not a substitute for a clinician, and "
        "that I should stop any exercise that causes sharp or worsening pain.",
        validators=[DataRequired("Please read and accept the medical disclaimer to continue.")],
    )


class SigninForm(Form):
    email = EmailField("Email", filters=[strip],
                       validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Enter your current password.")])
    new_password = PasswordField(
        "New password", description="At least 10 characters. Other devices will be signed out.",
        validators=[DataRequired("Choose a new password."), _strong_password],
    )


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm.")])
    confirm = BooleanField(
        "Delete my account and all my check-ins, warm-ups and sessions for good.",
        validators=[DataRequired("Tick the box to confirm you want to delete everything.")],
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        "Email", filters=[strip],
        validators=[DataRequired("Enter your email address."), Length(max=254),
                    Email("Enter an email address like name@example.com.")],
    )


class ResetPasswordForm(Form):
    new_password = PasswordField(
        "New password", description="At least 10 characters. Every device will be signed out.",
        validators=[DataRequired("Choose a new password."), _strong_password],
    )
