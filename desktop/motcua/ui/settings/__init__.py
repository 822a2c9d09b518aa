"""Administering this installation: the first-run setup wizard, the commune's settings and accounts,
backup and restore, the official working calendar, catalog import, and a citizen's access request.
``choices`` holds the labels both the wizard and the settings page show.
"""
