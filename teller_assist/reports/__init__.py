"""Reports people use: the monthly KPI report as a workbook (XlsxWriter) and as PDF (ReportLab, the same
charts drawn with its graphics). Renderers take the plain records of :mod:`teller_assist.kpi.records`
and return bytes; the services write them and audit the export."""
