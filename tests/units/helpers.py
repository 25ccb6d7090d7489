"""Helpers for the staff console tests (fixtures are in conftest.py)."""

import re

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Anyaman-Pandan-2025"


def verify_session(client, user):
    """Mark the client's session as having confirmed a TOTP code (what django_otp.login stores)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits):06d}"


def text_of(response):
    """The page's text without tags and with runs of whitespace squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
