"""Submit admin forms the way a browser would: read the rendered form, change a few values."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_selector):
        super().__init__(convert_charrefs=True)
        self.form_selector = form_selector
        self.in_form = False
        self.depth = 0
        self.data = []
        self._select = None
        self._textarea = None
        self._text = []

    def _matches(self, attrs):
        key, value = self.form_selector
        return key in attrs and (value is None or attrs[key] == value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.in_form:
                self.depth += 1
            elif self._matches(attrs):
                self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            if self.depth:
                self.depth -= 1
            else:
                self.in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response, form_selector=("data-edit-form", None)):
    """The values a browser would submit from the form in `response`, as a dict of lists."""
    reader = _FormReader(form_selector)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def submit(client, url, changes=None, form_selector=("data-edit-form", None)):
    """GET the form at `url`, apply `changes` (name -> value), POST it back."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = form_data(response, form_selector)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)
