"""The PySide6 desktop interface: the only package that imports Qt.

Rooms, by what a person works on:
  intake/    intake_wizard, intake_steps, intake_checklist, intake_state, intake_text, intake_resume,
             fee_inputs, procedure_search
  dossier/   dossier_page, dossier_info, action_dialog, print_menu
  lists/     today_board, dossier_list_page, dossier_view, filter_widgets
  reports/   reports_page
  sync/      sync_page, sync_service, conflicts_panel, enroll_dialog, bundle_actions
  settings/  settings_page, setup_wizard, user_dialogs, backup_dialog, calendar_dialog, catalog_import_dialog,
             access_dialog, passphrase_strength, choices
  guidance/  guidance_page, procedure_html, help_pages, help_window
  session/   signin, idle_lock, single_instance
  widgets/   dialogs, formatting, fitting, folding, print_preview
  models/    Qt item models over the store (ids held, rows fetched lazily, SQL sorting)
At the top stay the entry point, the shell and the plumbing every room imports: app, main_window, context,
bus, worker, background, qtcompat, _adapters.
"""
