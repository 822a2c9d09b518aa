"""What several rooms share: the message dialogs for failures, value formatting (dates, money, status
colours), fitting windows on small screens, matching text without diacritics, and the PDF preview.
"""
