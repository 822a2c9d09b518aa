"""Reading the procedures and the help: the guidance library (search the catalog, read a procedure's
page, print its sheet, start an intake), the procedure page as rich text, and the offline F1 help.
"""
