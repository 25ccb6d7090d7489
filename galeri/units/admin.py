"""Django's admin is for superusers only, and superusers must confirm a TOTP code.

django-otp's documented way: the default admin site becomes an OTPAdminSite,
whose login asks for the code too and which refuses unverified sessions. A
superuser who signed in and verified in the console is verified here as well.
"""

from django.contrib import admin
from django_otp.admin import OTPAdminSite

admin.site.__class__ = OTPAdminSite
