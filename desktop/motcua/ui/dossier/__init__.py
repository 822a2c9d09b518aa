"""One dossier once it exists: its page (header, documents, attachments, timeline, outcome lines), the
dialog of each lifecycle action (hand over, request a supplement, resolve, return…), and the «In biểu
mẫu» menu of the papers it can print.
"""
