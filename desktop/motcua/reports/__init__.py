"""Statistics and reports: figures per period from the event log, Excel and PDF exports, the payload
sent to the province. No Qt here (the report page lives in ``motcua.ui.reports.reports_page``)."""
