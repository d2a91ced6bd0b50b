"""The home page and the country pages."""


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
