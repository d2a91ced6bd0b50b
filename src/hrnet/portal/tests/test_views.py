"""The home page and the country pages."""

import uuid
from datetime import timedelta

from django.utils import timezone

from hrnet.events.tests.factories import EventFactory
from hrnet.news.tests.factories import ArticleFactory


def test_home_shows_the_network_and_its_countries(client, geography):
    from hrnet.core.reference import network_load

    network_load()
    response = client.get("/en/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Eurasian Harm Reduction Network" in content
    assert '<span class="stat">29</span> countries' in content
    assert '<span class="stat">7</span> sub-regions' in content
    assert 'href="/en/countries/md/"' in content


def test_language_switcher_links_to_the_same_page_in_each_language(client, geography):
    response = client.get("/en/countries/md/")

    content = response.content.decode()
    assert 'href="/ru/countries/md/"' in content
    assert 'href="/en/countries/md/" lang="en" hreflang="en" aria-current="true"' in content


def test_country_page_shows_subregion_and_aliases(client, geography):
    response = client.get("/en/countries/mk/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "North Macedonia" in content
    assert "South-Eastern Europe" in content
    assert "The former Yugoslav Republic of Macedonia" in content


def test_unknown_country_page_is_404(client, geography):
    assert client.get("/en/countries/zz/").status_code == 404


def test_home_shows_the_newest_news_in_the_visitors_language_and_the_next_events(client, geography):
    # given: a story in both languages, an older one, a draft and an upcoming event
    key = uuid.uuid4()
    ArticleFactory.create(title="Older story", published_at=timezone.now() - timedelta(days=3))
    story = ArticleFactory.create(title="Naloxone in Chisinau", translation_key=key)
    ArticleFactory.create(title="Налоксон в Кишинёве", language="ru", translation_key=key)
    ArticleFactory.create(title="Draft story", published_at=None)
    EventFactory.create(titles={"en": "Webinar on OST", "ru": "Вебинар о ЗПТ"})

    # when
    english = client.get("/en/").content.decode()
    russian = client.get("/ru/").content.decode()

    # then
    assert story.title in english
    assert "Older story" in english
    assert "Draft story" not in english
    assert "Налоксон в Кишинёве" not in english
    assert "Webinar on OST" in english
    assert "will appear here" not in english
    assert "Налоксон в Кишинёве" in russian
    assert "Вебинар о ЗПТ" in russian


def test_home_says_what_will_appear_while_nothing_is_published(client, geography):
    ArticleFactory.create(title="Draft story", published_at=None)

    content = client.get("/en/").content.decode()

    assert "Draft story" not in content
    assert "News from the network and its members will appear here." in content


def test_the_menu_marks_the_current_page(client, geography):
    content = client.get("/en/").content.decode()

    assert 'href="/en/" aria-current="page"' in content
    assert "aria-current=&quot;" not in content


def test_members_address_lands_on_the_directory(client, geography):
    response = client.get("/en/members/")

    assert response.status_code == 302
    assert response["Location"] == "/en/members/directory/"
