import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from galeri.units.models import Role, RoleAssignment
from tests.helpers import verify_session


@pytest.mark.django_db
def test_only_the_longest_matching_menu_entry_is_current(client, unit_tree):
    user = User.objects.create_user("petugas.uji", password="x" * 12)
    RoleAssignment.objects.create(user=user, unit=unit_tree.lapas, role=Role.OFFICER)
    client.force_login(user)
    verify_session(client, user)
    html = client.get(reverse("inventory:stocktake_list")).content.decode()
    nav = re.search(r'<nav class="console-nav".*?</nav>', html, re.S).group(0)
    current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav)
    assert current == ["Stok opname"]
