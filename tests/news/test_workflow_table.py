"""The news workflow table (galeri/news/workflow.py) is the one rule of who may take which step
from which state: every row for every role, every state outside a row's sources refused without a
trace, the return needs a note, and the Kanwil's own posts are approved by the Kanwil's head."""

import pytest
from django.core.exceptions import PermissionDenied

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.news.errors import NewsError
from galeri.news.models import PostStatus
from galeri.news.workflow import NEWS
from galeri.units.models import Role
from galeri.units.scoping import can

pytestmark = pytest.mark.django_db

S = PostStatus

# Where each row can be taken.
READY = {
    "ajukan": S.DRAFT,
    "setujui": S.SUBMITTED,
    "kembalikan": S.SUBMITTED,
    "tarik": S.PUBLISHED,
    "arsipkan": S.PUBLISHED,
    "pulihkan": S.ARCHIVED,
}


def everyone(staff):
    return [
        staff.regional,
        staff.lapas_admin,
        staff.lapas_officer,
        staff.lapas_cashier,
        staff.lpp_admin,
        staff.lpp_officer,
        staff.nobody,
    ]


def test_every_row_is_covered():
    assert set(READY) == {row.action for row in NEWS.transitions}


@pytest.mark.parametrize("action", list(READY))
def test_who_may_take_a_step_is_the_permission_its_row_names(action, posts, staff):
    row = NEWS.get(action)
    post = None
    expected = {"news.edit": {"regional", "lapas_admin", "lapas_officer"}, "news.approve": {"regional", "lapas_admin"}}
    names = {id(u): n for n, u in vars(staff).items()}
    for user in everyone(staff):
        post = post or posts.reach(READY[action])
        may = can(user, row.permission, post.unit)
        assert may == (names[id(user)] in expected[row.permission]), (action, user.username)
        before = (post.status, timeline.of(post).count())
        if may:
            done = transition(NEWS, post, action, user=user, note="Uji")
            event = timeline.latest(done)
            assert (event.action, event.actor, event.user, event.from_state, event.to_state) == (
                action,
                Actor.STAFF,
                user,
                before[0],
                row.target,
            )
            post = None
        else:
            with pytest.raises(PermissionDenied):
                transition(NEWS, post, action, user=user, note="Uji")
            post.refresh_from_db()
            assert (post.status, timeline.of(post).count()) == before


def test_a_step_from_a_state_outside_its_sources_is_refused_and_changes_nothing(posts, staff):
    by_state = {state: posts.reach(state) for state in S}
    for row in NEWS.transitions:
        for state, post in by_state.items():
            if row.starts_from(state):
                continue
            events = timeline.of(post).count()
            with pytest.raises(NewsError) as refused:
                transition(NEWS, post, row.action, user=staff.lapas_admin, note="Uji")
            assert refused.value.codes == ["wrong_status"], (row.action, state)
            post.refresh_from_db()
            assert (post.status, timeline.of(post).count()) == (state, events)


def test_returning_needs_a_note_and_leaves_nothing_without_it(posts, staff):
    post = posts.reach(S.SUBMITTED)
    events = timeline.of(post).count()
    with pytest.raises(NewsError) as refused:
        transition(NEWS, post, "kembalikan", user=staff.lapas_admin, note="   ")
    assert refused.value.codes == ["note_required"]
    post.refresh_from_db()
    assert post.status == S.SUBMITTED and timeline.of(post).count() == events


def test_the_unit_head_publishes_and_the_first_date_stays(posts, staff, time_machine):
    import datetime

    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 30), timezone.get_fixed_timezone(9 * 60))
    time_machine.move_to(first, tick=False)
    post = posts.reach(S.PUBLISHED)
    assert post.published_at == first and post.submitted_at == first
    time_machine.move_to(first + datetime.timedelta(days=2), tick=False)
    post = transition(NEWS, post, "tarik", user=staff.lapas_admin)
    post = transition(NEWS, post, "ajukan", user=staff.lapas_officer)
    post = transition(NEWS, post, "setujui", user=staff.lapas_admin)
    assert post.published_at == first


def test_the_kanwils_posts_are_approved_by_the_kanwils_head_only(unit_tree, staff, make_staff, posts):
    kanwil_officer = make_staff(Role.OFFICER, unit_tree.kanwil, "petugas.kanwil")
    post = posts.draft(unit=unit_tree.kanwil, author=kanwil_officer)
    post = transition(NEWS, post, "ajukan", user=kanwil_officer)
    for user in (staff.lapas_admin, staff.lpp_admin, kanwil_officer):
        with pytest.raises(PermissionDenied):
            transition(NEWS, post, "setujui", user=user)
    post = transition(NEWS, post, "setujui", user=staff.regional)
    assert post.status == S.PUBLISHED


def test_an_incomplete_post_cannot_be_submitted(posts, staff):
    from galeri.news.models import Post

    post = posts.draft()
    Post.objects.filter(pk=post.pk).update(body="")
    post.refresh_from_db()
    assert "ajukan" not in [a for a, _label in NEWS.actions(post, staff.lapas_officer)]
    with pytest.raises(NewsError) as refused:
        transition(NEWS, post, "ajukan", user=staff.lapas_officer)
    assert refused.value.codes == ["incomplete"]
