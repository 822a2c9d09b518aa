"""The dossier list model: a correct Qt model, lazy and bounded, sorted and filtered in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from ui_helpers import add_dossiers, intake_one

from motcua.domain.states import Status
from motcua.services.changes import Changes
from motcua.store.queries import DossierFilter, count_dossiers
from motcua.ui.models.dossier_table import COLUMNS, ID_ROLE, DossierTableModel


def test_model_passes_qtmodeltester(qtmodeltester, ui_store) -> None:
    add_dossiers(ui_store.conn, 300, days=30)
    model = DossierTableModel(ui_store.reader(), page_size=50, max_pages=2)
    assert model.rowCount() == 300
    qtmodeltester.check(model)                 # Qt's own QAbstractItemModelTester
    qtmodeltester.check(model, force_py=True)  # and pytest-qt's Python port
    model.sort(0, Qt.SortOrder.AscendingOrder)  # still a valid model after a re-sort in SQL
    qtmodeltester.check(model)


def test_empty_model_passes_qtmodeltester(qtmodeltester, ui_store) -> None:
    model = DossierTableModel(ui_store.reader())
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_lazily_and_memory_stays_bounded(qtbot, ui_store) -> None:
    add_dossiers(ui_store.conn, 5000, days=200)
    model = DossierTableModel(ui_store.reader(), page_size=100, max_pages=3)
    assert model.rowCount() == 5000
    assert model.cached_row_count() == 0  # ids only, until a row is shown

    view = QTableView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    for row in range(0, 5000, 37):  # scroll through everything, as a user dragging the scrollbar would
        view.scrollTo(model.index(row, 0))
        model.data(model.index(row, 0))
        assert model.cached_row_count() <= 300
    view.scrollToBottom()
    qtbot.wait(10)
    assert model.data(model.index(4999, 0))
    assert model.cached_row_count() <= 300
    assert model.pages_fetched >= 50  # every page was read, none was kept beyond the cache


def test_sorting_happens_in_sql(ui_store) -> None:
    add_dossiers(ui_store.conn, 400, days=60)
    model = DossierTableModel(ui_store.reader())
    by_code = [c.sort_key for c in COLUMNS].index("code")
    model.sort(by_code, Qt.SortOrder.AscendingOrder)
    codes = [model.data(model.index(r, by_code)) for r in range(model.rowCount())]
    assert codes == sorted(codes)
    model.sort(by_code, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, by_code)) == codes[-1]
    expected = [r[0] for r in ui_store.conn.execute("SELECT id FROM dossiers ORDER BY code DESC, id DESC")]
    assert [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())] == expected


def test_filtering_happens_in_sql(ui_store) -> None:
    add_dossiers(ui_store.conn, 400, days=60)
    reader = ui_store.reader()
    model = DossierTableModel(reader)
    resolved = DossierFilter(statuses=(int(Status.RESOLVED),))
    model.set_filter(resolved)
    assert model.rowCount() == count_dossiers(reader, resolved) > 0
    status_column = [c.sort_key for c in COLUMNS].index("status")
    shown = {model.data(model.index(r, status_column)) for r in range(model.rowCount())}
    assert shown == {Status.RESOLVED.label}

    name = model.record_at(0).applicant_name  # type: ignore[union-attr]
    model.set_filter(DossierFilter(text=name.lower()))
    assert model.rowCount() >= 1
    assert all(name in (model.record_at(r).applicant_name or "") for r in range(model.rowCount()))  # type: ignore[union-attr]


def test_changes_refresh_the_list(ui_store) -> None:
    model = DossierTableModel(ui_store.reader())
    assert model.rowCount() == 0
    dossier_id = intake_one(ui_store.conn, ui_store.data_dir)
    model.apply_changes(Changes(frozenset({dossier_id}), dossiers=True))
    assert model.rowCount() == 1
    assert model.id_at(0) == dossier_id
    model.apply_changes(Changes(catalog=True))  # not about dossiers: nothing to do
    assert model.rowCount() == 1
