from django.utils.functional import SimpleLazyObject

from galeri.console.menu import menu_for


def console(request):
    return {"console_menu": SimpleLazyObject(lambda: menu_for(request))}
