from django.urls import path

from wireroom.distribution import views

app_name = "distribution"
# The report has an address in the issuer's workspace and one in the editors' desk: one view, two checks.
urlpatterns = [
    path("workspace/releases/<uuid:release_id>/report/", views.report_page, name="report"),
    path("workspace/releases/<uuid:release_id>/report.csv", views.report_csv, name="report-csv"),
    path("workspace/releases/<uuid:release_id>/report.pdf", views.report_pdf, name="report-pdf"),
    path("workspace/releases/<uuid:release_id>/receipts.json", views.report_receipts, name="report-receipts"),
    path("desk/releases/<uuid:release_id>/report/", views.desk_report_page, name="desk-report"),
    path("desk/releases/<uuid:release_id>/report.csv", views.desk_report_csv, name="desk-report-csv"),
    path("desk/releases/<uuid:release_id>/report.pdf", views.desk_report_pdf, name="desk-report-pdf"),
    path("desk/releases/<uuid:release_id>/receipts.json", views.desk_report_receipts, name="desk-report-receipts"),
    path("console/releases/<uuid:release_id>/deliveries/", views.old_report, name="release-deliveries"),
]
