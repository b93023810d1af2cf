from django.urls import path

from heard.cases import access_views, remedies, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/<slug:kind>/", views.case_new_of_kind, name="new-kind"),
    path("approval-settings/", access_views.approval_settings, name="approval-settings"),
    path(
        "approval-settings/<slug:procedure>/<int:stage>/",
        access_views.approval_setting,
        name="approval-setting",
    ),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/respond/", views.case_respond, name="respond"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/stage/", views.case_stage, name="stage"),
    path("<str:reference>/learning/", views.case_learning, name="learning"),
    path("<str:reference>/learning/<int:pk>/", views.case_learning_edit, name="learning-edit"),
    path("<str:reference>/actions/<int:pk>/", views.case_action_edit, name="action-edit"),
    path(
        "<str:reference>/actions/<int:pk>/complete/",
        views.case_complete_action,
        name="complete-action",
    ),
    path("<str:reference>/documents/", views.case_documents, name="documents"),
    path("<str:reference>/documents/<int:pk>/", views.case_document, name="document"),
    path("<str:reference>/remedies/new/", remedies.remedy_new, name="remedy-new"),
    path("<str:reference>/remedies/<int:pk>/comply/", remedies.remedy_comply, name="remedy-comply"),
    path("<str:reference>/restrict/", access_views.restrict, name="restrict"),
    path("<str:reference>/approval/<slug:step>/", access_views.approval, name="approval"),
    path("<str:reference>/<slug:action>/", views.case_action, name="action"),
]
