"""Lotse in a site it did not make: `wagtail start`, the wheel in a fresh virtualenv, exactly the
README's integration steps, then the main flows through HTTP against `runserver`.

The README's code blocks are read from README.md, so the test fails when the README is wrong.
The host's database follows the suite's: SQLite, or a fresh PostgreSQL database on the server
of DATABASE_URL (created and dropped here).
"""

import base64
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django_otp.oath import totp

from tests.html_forms import form_data

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo-lotse"
DEMO_TOTP_KEY = base64.b32decode("LOTSEDEMOLOTSEDEMOLOTSEDEMOLOTSE")
#: A host editor set up in the site's own "Editors" group (see HOST_EDITOR_SCRIPT).
HOST_EDITOR = "redaktion"
HOST_EDITOR_SCRIPT = f"""
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice
user = User.objects.create_user({HOST_EDITOR!r}, password={DEMO_PASSWORD!r})
user.groups.add(Group.objects.get(name="Editors"))
TOTPDevice.objects.create(user=user, name="app", key={DEMO_TOTP_KEY.hex()!r}, confirmed=True)
"""


def run(args, cwd, timeout=300, env=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def readme_integration():
    """The README's section "Add Lotse to an existing Wagtail site": its code blocks and the
    blocks it says wagtail start's base.html needs."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Add Lotse to an existing Wagtail site", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    (settings_block,) = [block for block in blocks if "INSTALLED_APPS" in block]
    (urls_block,) = [block for block in blocks if "lotse.urls" in block]
    template_blocks = re.findall(r"`(\{% block \w+ %\}\{% endblock %\})`", section)
    return settings_block, urls_block, template_blocks


def apply_readme(site, database):
    """Edit the files of a `wagtail start county` site as the README says, nothing more."""
    settings_block, urls_block, template_blocks = readme_integration()
    base = site / "county" / "settings" / "base.py"
    extra = '\nLOTSE_BASE_TEMPLATE = "base.html"\n'
    if database:
        extra += f"DATABASES = {{'default': {database!r}}}\n"
    base.write_text(base.read_text() + "\n" + settings_block + extra)

    urls = site / "county" / "urls.py"
    catch_all = '    path("", include(wagtail_urls)),\n'
    text = urls.read_text()
    assert text.count(catch_all) == 1
    paths = re.findall(r"path\(.*\)", urls_block)
    assert paths[-1] == catch_all.strip().rstrip(","), "the README's block ends with Wagtail's"
    urls.write_text(text.replace(catch_all, "".join(f"    {path},\n" for path in paths)))

    template = site / "county" / "templates" / "base.html"
    html = template.read_text()
    (extra_head,) = [block for block in template_blocks if "extra_head" in block]
    (breadcrumbs,) = [block for block in template_blocks if "breadcrumbs" in block]
    assert html.count("</head>") == 1 and html.count("{% block content %}") == 1
    html = html.replace("</head>", f"{extra_head}\n</head>")
    html = html.replace("{% block content %}", f"{breadcrumbs}\n{{% block content %}}")
    template.write_text(html.replace("<body", '<body data-host-site="county"'))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """The wheel, installed with its dependencies into a new virtualenv."""
    tmp = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT)], ROOT)
    (wheel,) = tmp.glob("lotse-*.whl")
    run([sys.executable, "-m", "venv", str(tmp / "venv")], tmp)
    python = tmp / "venv" / "bin" / "python"
    packages = [str(wheel)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        packages.append("psycopg[binary]>=3.2")
    run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages], tmp)
    return python


@pytest.fixture(scope="module")
def database():
    """None for the site's own SQLite file, else a new PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"lotse_host_{uuid.uuid4().hex[:12]}"
    server = {
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**config, "NAME": name}
    finally:
        with psycopg.connect(**server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def host(venv, database, tmp_path_factory):
    """A `wagtail start` site with Lotse as the README says, the demo county, served."""
    site = tmp_path_factory.mktemp("host") / "site"
    site.mkdir()
    run([str(venv.parent / "wagtail"), "start", "county", str(site)], site)
    apply_readme(site, database)
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "county.settings.dev"}

    def manage(*args):
        return run([str(venv), "manage.py", *args], site, env=env)

    assert "lotse.E0" not in manage("check")
    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    manage("shell", "-c", HOST_EDITOR_SCRIPT)
    port = free_port()
    server = subprocess.Popen(
        [str(venv), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=site,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/api/v1/health/", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in(base, username):
    """Password, then the authenticator code, through the admin's own forms."""
    session = requests.Session()
    login = session.get(base + "/admin/login/")
    response = session.post(
        base + "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_token(login.text),
            "username": username,
            "password": DEMO_PASSWORD,
            "next": "/admin/",
        },
    )
    assert "/two-factor/verify/" in response.url, response.url
    for _ in range(2):
        verify = response.url
        response = session.post(
            verify,
            {
                "csrfmiddlewaretoken": csrf_token(response.text),
                "code": f"{totp(DEMO_TOTP_KEY):06d}",
            },
        )
        if response.url == base + "/admin/":
            return session
        # A code counts once: the same user signing in again waits for the next one.
        time.sleep(30.5 - time.time() % 30)
        response = session.get(verify)
    raise AssertionError(f"{username} could not sign in: {response.url}")


def post_form(session, url, changes, selector=("data-edit-form", None)):
    """GET the admin form at `url`, change some values, POST it back as a browser would."""
    response = session.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = form_data(response, selector)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return session.post(url, data, allow_redirects=False)


def services(base, text):
    response = requests.get(base + "/api/hsds/services", {"search": text}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["contents"]


def inside_the_host(html):
    return 'data-host-site="county"' in html and "/static/css/county.css" in html


def admin_pages(session, base, **filters):
    """Pages as the admin's own API lists them: {title: (id, type)}."""
    response = session.get(base + "/admin/api/main/pages/", params=filters)
    assert response.status_code == 200
    return {item["title"]: (item["id"], item["meta"]["type"]) for item in response.json()["items"]}


@pytest.fixture(scope="module")
def signed_in(host):
    """One signed-in session per user for the whole module."""
    sessions = {}

    def session_for(username):
        if username not in sessions:
            sessions[username] = sign_in(host, username)
        return sessions[username]

    return session_for


def test_public_pages_render_inside_the_site_and_hsds_answers(host):
    offer = services(host, "Schuldnerberatung")[0]
    # load_demo makes the directory the site's home page.
    search = requests.get(host + "/", {"q": "Schuldnerberatung"}, timeout=60)
    assert search.status_code == 200
    assert inside_the_host(search.text) and "lotse_directory/lotse.css" in search.text
    page = re.search(rf'href="([^"]+)">{re.escape(offer["name"])}<', search.text).group(1)
    response = requests.get(host + page, timeout=60)
    assert response.status_code == 200
    assert inside_the_host(response.text) and "application/ld+json" in response.text
    # The site's own search app is still there.
    assert requests.get(host + "/search/", {"query": "Beratung"}, timeout=60).status_code == 200


def test_a_coordinator_creates_an_organisation_and_an_offer(host, signed_in):
    session = signed_in("koordination")
    snippets = host + "/admin/snippets/lotse_network/organisation/"
    name = "Tafel Lahnfeld-Süd"
    response = post_form(session, snippets + "add/", {"name": name, "kind": "other"})
    assert response.status_code == 302, response.text[:2000]
    listing = session.get(snippets, params={"q": name}).text
    organisation = re.search(r"/organisation/edit/(\d+)/", listing).group(1)

    pages = admin_pages(session, host, type="lotse_directory.DirectoryIndexPage")
    (index,) = [pk for pk, kind in pages.values() if kind == "lotse_directory.DirectoryIndexPage"]
    response = post_form(
        session,
        f"{host}/admin/pages/add/lotse_directory/organisationpage/{index}/",
        {"title": name, "slug": "tafel-sued", "organisation": organisation, "action-publish": "1"},
    )
    assert response.status_code == 302, response.text[:2000]
    (organisation_page, _kind) = admin_pages(session, host, slug="tafel-sued")[name]
    add_offer = f"{host}/admin/pages/add/lotse_directory/offerpage/{organisation_page}/"
    topic = re.search(
        r'name="topics"[^>]*>.*?<option value="(\d+)"', session.get(add_offer).text, re.S
    )
    response = post_form(
        session,
        add_offer,
        {
            "title": "Lebensmittelausgabe Süd",
            "slug": "lebensmittelausgabe-sued",
            "summary": "Lebensmittel für Menschen mit wenig Geld.",
            "topics": topic.group(1),
            "action-publish": "1",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    public = requests.get(f"{host}/tafel-sued/lebensmittelausgabe-sued/", timeout=60)
    assert public.status_code == 200 and inside_the_host(public.text)
    assert "Lebensmittel für Menschen mit wenig Geld." in public.text


def test_a_partner_editors_change_waits_for_review(host, signed_in):
    session = signed_in("awo")
    title = "Schuldner- und Insolvenzberatung"
    (page, _kind) = admin_pages(session, host, slug="schuldner-und-insolvenzberatung")[title]
    response = post_form(
        session,
        f"{host}/admin/pages/{page}/edit/",
        {"title": f"{title} (neu)", "action-submit": "1"},
    )
    assert response.status_code == 302, response.text[:2000]
    assert services(host, f"{title} (neu)") == [] or all(
        service["name"] != f"{title} (neu)" for service in services(host, title)
    )
    dashboard = signed_in("koordination").get(host + "/admin/").text
    assert f"{title} (neu)" in dashboard


def test_an_adviser_hands_over_and_the_recipient_accepts(host, signed_in):
    adviser = signed_in("beratung")
    contacts = adviser.get(host + "/api/v1/contacts/", params={"search": "Hartmann"})
    assert contacts.status_code == 200, contacts.text
    body = contacts.json()
    rows = body["results"] if isinstance(body, dict) else body
    (recipient,) = [row for row in rows if "Hartmann" in row["name"]]
    now = dt.datetime.now(dt.UTC)
    payload = {
        "recipient": recipient["id"],
        "summary": "Mietschulden seit drei Monaten.",
        "citizen": {"name": "Zarah Leander-Quist", "phone": "06441 998877"},
        "urgency": "normal",
        "consent": {
            "given_at": (now - dt.timedelta(minutes=5)).isoformat(),
            "method": "written",
            "data_categories": ["finances", "housing"],
            "purpose": "Schuldnerberatung",
            "valid_until": (now + dt.timedelta(days=90)).date().isoformat(),
        },
    }
    csrf = {"X-CSRFToken": adviser.cookies["csrftoken"]}
    created = adviser.post(host + "/api/v1/handovers/", json=payload, headers=csrf)
    assert created.status_code == 201, created.text
    transitions = f"{host}/api/v1/handovers/{created.json()['id']}/transitions/"
    recipient_session = signed_in("diakonie")
    csrf = {"X-CSRFToken": recipient_session.cookies["csrftoken"]}
    for action, status in (("open", "opened"), ("accept", "accepted")):
        response = recipient_session.post(transitions, json={"action": action}, headers=csrf)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status


def test_the_sites_own_editors_still_open_their_reports(host):
    session = sign_in(host, HOST_EDITOR)
    for report in ("locked", "aging-pages", "workflow", "page-types-usage"):
        response = session.get(f"{host}/admin/reports/{report}/")
        assert response.status_code == 200, report
