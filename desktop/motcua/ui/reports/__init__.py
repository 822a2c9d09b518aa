"""The statistics page: a period, the official report table, bars per field, the monthly trend, and the
drill-down from a number to the dossier codes behind it.
"""
