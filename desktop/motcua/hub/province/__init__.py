"""What the province does at the hub: publish catalog versions, calendars and announcements, record
decisions on the dossiers it decides, watch every commune and its quarantine (``chores``), and keep and
add up the communes' monthly reports (``reports_store`` over the pure ``reports_aggregate``)."""
