from django.shortcuts import render

from galeri.console import selectors
from galeri.units.scoping import console_view


@console_view("console.view")
def home(request):
    return render(request, "console/home.html", {"tasks": selectors.tasks_for(request.user)})
