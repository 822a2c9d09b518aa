"""Receiving a dossier at the desk: the intake wizard and its four steps (procedure, documents checklist,
applicant, due date), the procedure search box, the fee inputs, the draft that survives a crash and the
bar that offers to resume it. The Qt-free state of an intake is ``intake_state``; drafts are stored by
``motcua.services.drafts``.
"""
