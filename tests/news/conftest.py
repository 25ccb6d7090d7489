import pytest

from galeri.core.workflow import transition
from galeri.news import services
from galeri.news.models import PostStatus
from galeri.news.workflow import NEWS

S = PostStatus


class Posts:
    """Posts of a unit brought to any state through the app's own steps."""

    def __init__(self, unit, author, head):
        self.unit, self.author, self.head = unit, author, head
        self.n = 0

    def draft(self, title=None, body="Kabar dari **bengkel anyaman**.", unit=None, author=None):
        self.n += 1
        return services.save_post(
            None, user=author or self.author, unit=unit or self.unit, title=title or f"Berita uji {self.n}", body=body
        )

    def reach(self, state, **fields):
        post = self.draft(**fields)
        if state == S.DRAFT:
            return post
        post = transition(NEWS, post, "ajukan", user=self.author)
        if state == S.SUBMITTED:
            return post
        if state == S.RETURNED:
            return transition(NEWS, post, "kembalikan", user=self.head, note="Perbaiki judul")
        post = transition(NEWS, post, "setujui", user=self.head)
        if state == S.PUBLISHED:
            return post
        if state == S.UNPUBLISHED:
            return transition(NEWS, post, "tarik", user=self.head)
        if state == S.ARCHIVED:
            return transition(NEWS, post, "arsipkan", user=self.head)
        raise AssertionError(state)

    def published(self, title, **fields):
        return self.reach(S.PUBLISHED, title=title, **fields)


@pytest.fixture
def posts(unit_tree, staff):
    return Posts(unit_tree.lapas, staff.lapas_officer, staff.lapas_admin)
