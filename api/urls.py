"""Every API endpoint, on one router under /api/v1/, and the schema with its viewers."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from accounts.api import ProfileView
from activities.api import ProtectionActivityViewSet
from alerts.api import AlertViewSet
from audit.api import AuditEntryViewSet, DeletedRecordViewSet
from commitments.api import (
    CommitmentActionViewSet,
    CommitmentImplementationViewSet,
    KeyElementViewSet,
    ParagraphViewSet,
    PhaseViewSet,
    PriorityAreaViewSet,
    TierViewSet,
)
from imports.api import IncidentImportViewSet
from incidents.api import GraveViolationViewSet, IncidentViewSet
from indicators.api import (
    IndicatorTargetViewSet,
    IndicatorViewSet,
    ObservationViewSet,
    RollupViewSet,
)
from missions.api import AreaViewSet, MembershipViewSet, MissionViewSet
from reports.api import PocReportView, ReportExportViewSet
from threats.api import (
    CommunityAtRiskViewSet,
    ResponseActionViewSet,
    ThreatAssessmentViewSet,
    ThreatViewSet,
)

from .tokens import TokenViewSet

router = DefaultRouter()
router.register("tokens", TokenViewSet, basename="token")
router.register("missions", MissionViewSet, basename="mission")
router.register("areas", AreaViewSet, basename="area")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("threats", ThreatViewSet, basename="threat")
router.register("communities-at-risk", CommunityAtRiskViewSet, basename="communityatrisk")
router.register("response-actions", ResponseActionViewSet, basename="responseaction")
router.register("threat-assessments", ThreatAssessmentViewSet, basename="threatassessment")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("alerts", AlertViewSet, basename="alert")
router.register("activities", ProtectionActivityViewSet, basename="protectionactivity")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-targets", IndicatorTargetViewSet, basename="indicatortarget")
router.register("observations", ObservationViewSet, basename="observation")
router.register("rollups", RollupViewSet, basename="rollup")
router.register("audit-entries", AuditEntryViewSet, basename="auditentry")
router.register("deleted", DeletedRecordViewSet, basename="deleted")
router.register("priority-areas", PriorityAreaViewSet, basename="priorityarea")
router.register("paragraphs", ParagraphViewSet, basename="paragraph")
router.register("key-elements", KeyElementViewSet, basename="keyelement")
router.register("tiers", TierViewSet, basename="tier")
router.register("phases", PhaseViewSet, basename="phase")
router.register(
    "commitment-implementations",
    CommitmentImplementationViewSet,
    basename="commitmentimplementation",
)
router.register("commitment-actions", CommitmentActionViewSet, basename="commitmentaction")
router.register("grave-violations", GraveViolationViewSet, basename="graveviolation")
router.register("imports", IncidentImportViewSet, basename="incidentimport")
router.register("reports/exports", ReportExportViewSet, basename="reportexport")

urlpatterns = [
    path("v1/me/", ProfileView.as_view(), name="me"),
    path("v1/reports/poc/", PocReportView.as_view(), name="report-poc"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        # its script from a URL of its own: the content security policy allows no inline script
        "schema/swagger-ui/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="swagger",
    ),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
