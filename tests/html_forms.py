"""Read a page's form as a browser would submit it, so a test can post it back unchanged.

What a browser sends (the HTML standard's "constructing the entry list"): text, hidden and
other inputs with their value; checkboxes and radios only when checked; a select's selected
options, or its first option when none is selected; a text area's text without the single
line break that may follow its start tag, with every line break sent as CR LF.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": [],
                "selects": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in _SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._finish_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self._form["fields"].append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _finish_select(self, select):
        options = select["options"]
        chosen = [o for o in options if o["selected"]]
        if not chosen and not select["multiple"] and options:
            chosen = options[:1]
        if not select["multiple"]:
            chosen = chosen[-1:]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._form["fields"].append((select["name"], value))


def post_forms(html: str) -> list[dict]:
    """Every form of the page that posts, each {"action": ..., "fields": [(name, value)]}."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return [form for form in parser.forms if form["method"] == "post"]


def submitted(html: str, action: str | None = None) -> dict[str, list[str]]:
    """What the page's main form (the posting form with most fields, or the one posting to
    ``action``) sends, by name: the ``data`` for the test client, with a list of values per
    name."""
    forms = post_forms(html)
    if action is not None:
        forms = [form for form in forms if form["action"] == action]
    assert forms, "The page has no form that posts."
    form = max(forms, key=lambda f: len(f["fields"]))
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return data
