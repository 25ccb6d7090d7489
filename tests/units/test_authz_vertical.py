"""Vertical privilege: every role against every action, generated from ``scoping.PERMISSIONS``.

``tests/units/test_authz_matrix.py`` walks the console's URLs and proves unit A never reaches
unit B. This module proves the other axis, a role never does what its role may not do:

- every console URL (the same walk), with the objects of the user's own unit, for every role
  that ``PERMISSIONS`` does not allow its ``console_action``: 403 on GET and POST, and not one row
  of the database changed; for a role that is allowed, a page without an object opens (not 403);
- every step of every workflow table (``core.workflow``) that names a permission, for every role
  in the subject's own unit: allowed exactly when ``PERMISSIONS`` says so; in another unit: never;
- every action of ``PERMISSIONS`` is classified: the action of a console URL, of an API
  operation (``tests/api/test_authz_matrix.py``), the permission of a workflow step, or checked
  inside a view (``INNER``, with where). A new action nobody checks fails here.
"""

import pytest
from django.apps import apps

from galeri.bookings.workflow import BOOKING
from galeri.core.models import Actor
from galeri.custom_orders.workflow import CUSTOM_ORDER
from galeri.news.workflow import NEWS
from galeri.orders.workflow import ORDER
from galeri.pos.workflow import TILL_SESSION
from galeri.production.workflow import BATCH
from galeri.units.scoping import PERMISSIONS
from tests.api.test_authz_matrix import STAFF as API_STAFF
from tests.bookings.factories import booking
from tests.custom_orders.factories import order as custom_order
from tests.kit.snapshot import changed, snapshot
from tests.news.factories import post as news_post
from tests.orders.factories import order
from tests.pos.factories import session
from tests.production.factories import batch
from tests.units.test_authz_matrix import OBJECTS, ROLES, ROUTES, signed_in, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

# Actions checked inside a view or a form rather than by a URL's decorator or a workflow step.
INNER = {
    "production.payout": "production/premi_views.py premi_ledger: the payout form only when can(..., participant.unit)",
    "production.pnbp": "production/premi_views.py pnbp: the deposit form only when can(); PnbpDepositForm scopes its units",
}

# workflow -> factory of a subject of a unit
WORKFLOWS = {
    ORDER: order,
    BATCH: batch,
    CUSTOM_ORDER: custom_order,
    BOOKING: booking,
    TILL_SESSION: session,
    NEWS: news_post,
}


def test_every_action_is_classified():
    used = {route.callback.console_action for route in ROUTES}
    used |= {action for action, _kind in API_STAFF.values() if action}
    used |= {row.permission for workflow in WORKFLOWS for row in workflow.transitions if row.permission}
    unknown = sorted(used - set(PERMISSIONS))
    assert unknown == [], f"actions used but not in PERMISSIONS: {unknown}"
    unclassified = sorted(set(PERMISSIONS) - used - set(INNER))
    assert unclassified == [], f"no URL, API operation or workflow step checks these; classify them in INNER: {unclassified}"
    assert sorted(set(INNER) - set(PERMISSIONS)) == [], "INNER names actions that no longer exist"


def test_every_workflow_with_permissions_is_listed():
    from galeri.core import workflow

    listed = {w.name for w in WORKFLOWS}
    found = {
        value.name for module in _workflow_modules() for value in vars(module).values() if isinstance(value, workflow.Workflow)
    }
    assert found <= listed, f"add these workflows to WORKFLOWS: {sorted(found - listed)}"


def _workflow_modules():
    import importlib

    for config in apps.get_app_configs():
        if config.name.startswith("galeri."):
            try:
                yield importlib.import_module(f"{config.name}.workflow")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.workflow":
                    raise


@pytest.mark.parametrize("role,unit_name", ROLES, ids=[r for r, _ in ROLES])
def test_a_role_is_refused_every_action_it_does_not_hold(world, make_staff, role, unit_name):
    client, user = signed_in(role, world.unit(unit_name), make_staff)
    own = world.tree.lapas
    urls = []
    for route in ROUTES:
        kwargs = OBJECTS[route.name](world.objects, own) if route.kwargs else {}
        if route.name == "units:unit_edit":
            kwargs = {"pk": own.pk}
        urls.append((route, route.url(**kwargs)))
    problems = []
    before = snapshot()
    refused = [(route, url) for route, url in urls if role not in PERMISSIONS[route.callback.console_action]]
    for route, url in refused:
        statuses = (client.get(url).status_code, client.post(url).status_code)
        if statuses != (403, 403):
            problems.append(f"{route.name} ({route.callback.console_action}) {url}: GET/POST {statuses} for {role}")
    assert len(before) > 40 and changed(before, snapshot()) == [], "a refused request changed rows"
    assert refused, "every role lacks some action: the sweep checked nothing"
    # The control: a page without an object whose action the role holds opens for it.
    for route, url in urls:
        if not route.kwargs and role in PERMISSIONS[route.callback.console_action]:
            if client.get(url).status_code == 403:
                problems.append(f"{route.name} ({route.callback.console_action}): GET 403 for {role}, who holds the action")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role,unit_name", ROLES, ids=[r for r, _ in ROLES])
def test_every_workflow_step_follows_the_permission_table(world, make_staff, role, unit_name):
    user = make_staff(role, world.unit(unit_name), username=f"wf.{role}")
    problems = []
    for workflow, build in WORKFLOWS.items():
        own = build(world.objects, world.tree.lapas)
        other = build(world.objects, world.other_region_upt)
        for row in workflow.transitions:
            if row.permission is None or Actor.STAFF not in row.actors:
                continue
            expected = role in PERMISSIONS[row.permission]
            if workflow.permitted(row, user, Actor.STAFF, own) != expected:
                problems.append(f"{workflow.name}.{row.action} ({row.permission}): {role} own unit, expected {expected}")
            if workflow.permitted(row, user, Actor.STAFF, other):
                problems.append(f"{workflow.name}.{row.action}: {role} of {unit_name} may act in another region")
    assert problems == [], "\n".join(problems)
