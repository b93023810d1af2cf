from django.urls import path

from heard.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>/download/<str:fmt>/", views.annual_download, name="annual-download"),
    path("annual/<int:year>/charts/<str:table>.png", views.annual_chart, name="annual-chart"),
    path("management/", views.management, name="management"),
    path("scrutiny/<int:year>/", views.scrutiny, name="scrutiny"),
    path("lgsco/<int:year>/", views.lgsco, name="lgsco"),
    path("editions/", views.edition_list, name="editions"),
    path("editions/new/", views.edition_new, name="edition-new"),
    path("editions/<int:pk>/", views.edition, name="edition"),
    path("editions/<int:pk>/download/<str:fmt>/", views.edition_download, name="edition-download"),
    path("editions/<int:pk>/edit/", views.edition_edit, name="edition-edit"),
    path(
        "editions/<int:pk>/case-studies/", views.edition_case_studies, name="edition-case-studies"
    ),  # fmt: skip
    path("editions/<int:pk>/tables/", views.edition_tables, name="edition-tables"),
    path("editions/<int:pk>/settings/", views.edition_settings, name="edition-settings"),
    path("editions/<int:pk>/publish/", views.edition_publish, name="edition-publish"),
    path("editions/<int:pk>/new-edition/", views.edition_next, name="edition-next"),
    path("context-figures/", views.context_figures, name="context-figures"),
    path("context-figures/add/", views.context_figure_add, name="context-figure-add"),
    path("context-figures/<int:pk>/", views.context_figure_edit, name="context-figure-edit"),
    path(
        "context-figures/<int:pk>/delete/",
        views.context_figure_delete,
        name="context-figure-delete",
    ),  # fmt: skip
    path("category-groups/", views.category_groups, name="category-groups"),
    path("category-groups/add/", views.category_group_add, name="category-group-add"),
    path("category-groups/<int:pk>/", views.category_group_edit, name="category-group-edit"),
    path(
        "category-groups/<int:pk>/delete/",
        views.category_group_delete,
        name="category-group-delete",
    ),  # fmt: skip
    path("tables/", views.tables, name="tables"),
    path("tables/new/", views.table_new, name="table-new"),
    path("tables/<int:pk>/", views.table, name="table"),
    path("tables/<int:pk>/delete/", views.table_delete, name="table-delete"),
]
