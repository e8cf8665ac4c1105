"""Admin URLs of handovers, mounted below /admin/handovers/ by `wagtail_hooks`."""

from django.urls import path

from . import views

app_name = "handovers"

urlpatterns = [
    path("", views.HandoverListView.as_view(box="inbox"), name="inbox"),
    path("sent/", views.HandoverListView.as_view(box="sent"), name="sent"),
    path("overview/", views.HandoverListView.as_view(box="overview"), name="overview"),
    path("overview/export/", views.OverviewExportView.as_view(), name="export"),
    path("new/", views.HandoverCreateView.as_view(), name="add"),
    path("consent-preview/", views.ConsentPreviewView.as_view(), name="consent_preview"),
    path("<int:pk>/", views.HandoverDetailView.as_view(), name="detail"),
    path("<int:pk>/act/<str:action>/", views.HandoverActionView.as_view(), name="act"),
    path("<int:pk>/edit/", views.DraftEditView.as_view(), name="edit"),
    path("<int:pk>/discard/", views.DiscardDraftView.as_view(), name="discard"),
    path("<int:pk>/withdraw/", views.WithdrawConsentView.as_view(), name="withdraw"),
    path("<int:pk>/again/", views.RehandoverView.as_view(), name="again"),
    path("<int:pk>/reassign/", views.ReassignView.as_view(), name="reassign"),
    path("<int:pk>/consent/", views.ConsentPrintView.as_view(), name="consent"),
]
