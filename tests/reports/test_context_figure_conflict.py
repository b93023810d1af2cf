"""Two people changing one context figure: the second save, made from a page opened before the
first, is refused and nothing is overwritten (issue 16), as for cases."""

import pytest

from heard.audit.models import AuditEvent
from heard.reports.models import ContextFigure

pytestmark = pytest.mark.django_db
YEAR = 2023


def _form(figure, value, version):
    return {"label": figure.label, "code": figure.code, "year": figure.year, "value": value,
            "version": version}  # fmt: skip


def test_a_save_from_an_out_of_date_page_is_refused_and_overwrites_nothing(client_for):
    figure = ContextFigure.objects.create(
        code="children-in-need", label="Children in need", year=YEAR, value=1250
    )
    url = f"/reports/context-figures/{figure.pk}/"
    manager = client_for("manager")
    opened = figure.version
    assert f'name="version" value="{opened}"' in manager.get(url).content.decode()
    first = manager.post(url, _form(figure, "1300", opened))
    assert first.status_code == 302
    administrator = client_for("administrator")
    stale = administrator.post(url, _form(figure, "1400", opened))
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "was changed by someone else after you opened it" in html
    assert 'value="1400"' in html, "what they typed is still on the page"
    figure.refresh_from_db()
    assert figure.value == 1300
    assert AuditEvent.objects.filter(action="report.context_figure.changed").count() == 1
    # Having seen the conflict, saving again is a knowing choice, and it is applied.
    again = administrator.post(url, _form(figure, "1400", figure.version))
    assert again.status_code == 302
    figure.refresh_from_db()
    assert figure.value == 1400


@pytest.mark.parametrize("version", ["", "not a number", "0"])
def test_a_change_without_a_usable_version_is_refused_plainly(client_for, version):
    figure = ContextFigure.objects.create(code="looked-after", label="LAC", year=YEAR, value=700)
    response = client_for("manager").post(
        f"/reports/context-figures/{figure.pk}/", _form(figure, "720", version)
    )
    assert response.status_code == 400
    assert "Open the figure again and make your change" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 700
