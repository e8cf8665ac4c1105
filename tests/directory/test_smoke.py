def test_offer_page_renders(client, offer):
    response = client.get(offer.url)
    assert response.status_code == 200
