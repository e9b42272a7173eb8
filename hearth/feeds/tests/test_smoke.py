import pytest

from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.feeds.models import Notification
from hearth.feeds.selectors import home_feed
from hearth.posts.tests.factories import publish


@pytest.mark.django_db
def test_smoke(client_for):
    a, b = UserFactory(), UserFactory()
    with committed():
        follow_create(follower=b, followee=a)
    p = publish(a, f"hi @{b.username} #tag /j")
    page = home_feed(viewer=b, max_id=None, older=False)
    assert [x.pk for x in page.posts] == [p.pk]
    assert p.tone == "joking"
    assert Notification.objects.filter(recipient=b, kind="mention").exists()
    assert Notification.objects.filter(recipient=a, kind="follow").exists()
    c = client_for(b)
    for url in [
        "/home",
        "/notifications",
        f"/@{a.username}",
        p.get_absolute_url(),
        "/tags/tag",
        "/settings/profile",
        "/settings/account",
        "/settings/circle",
        "/settings/people",
        "/follow-requests",
        "/settings/password",
        "/settings/filters",
        "/kindness/received",
        "/kindness/sent",
        f"/@{a.username}/{p.pk}/history",
        "/posts/new",
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
    anon = client_for(None)
    for url in [
        "/",
        "/login",
        "/signup",
        "/password/reset",
        f"/@{a.username}",
        p.get_absolute_url(),
    ]:
        assert anon.get(url).status_code == 200, url
    assert anon.get("/@nobody").status_code == 404
