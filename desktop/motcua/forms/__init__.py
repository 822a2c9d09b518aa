"""The official papers as PDF: reportlab renderers for the one-stop forms and the procedures' own forms.

Modules, one job each:
    model       frozen view models the renderers print (no store in sight)
    content     builds the view models from the commune store: the only module that knows it
    formsets    the legal sets (TT 01/2018, TT 03/2025) as data from db/forms
    render      view model + set → PDF bytes (render_form, render_procedure_form, render_guidance)
    templates/  one module per paper, each a list of platypus flowables
    layout      A4 geometry and margins of Nghị định 30/2020, styles, page numbers, the doc builder
    header      the two header blocks with their rules
    blocks      shared pieces: lines, signatures, "Nơi nhận", tables
    fill_lines  dotted writing lines and tick boxes for forms filled by hand
    qr          the QR code flowable
    fonts       Liberation Serif, embedded as subsets
    dates       "ngày 05 tháng 02 năm 2026" and friends
    words       amounts in Vietnamese words
    samples     realistic sample view models (gallery, benchmark, tests)
    paths       where db/forms and resources/fonts are
"""
