import pytest

from motcua.domain.states import ACTIONS, FINAL, Status, TransitionRefused, actions_available, transition


def test_happy_path():
    s = transition(None, "received")
    assert s is Status.RECEIVED
    for action, expected in [("handed_over", Status.PROCESSING), ("supplement_requested", Status.SUPPLEMENT_REQUESTED),
                             ("supplemented", Status.PROCESSING), ("fee_requested", Status.FINANCIAL_OBLIGATION),
                             ("fee_paid", Status.PROCESSING), ("resolved", Status.RESOLVED),
                             ("returned", Status.RETURNED)]:
        s = transition(s, action)
        assert s is expected


def test_illegal_transition_names_state_and_action():
    with pytest.raises(TransitionRefused) as info:
        transition(Status.RECEIVED, "returned")
    assert "trả kết quả" in str(info.value) and "Được tiếp nhận" in str(info.value)
    with pytest.raises(TransitionRefused, match="chưa có hồ sơ"):
        transition(None, "resolved")
    with pytest.raises(TransitionRefused, match="Không có thao tác"):
        transition(Status.RECEIVED, "teleported")


def test_final_states_accept_only_notes_and_attachments():
    for status in FINAL:
        assert {a.type for a in actions_available(status)} == {"note", "attachment_added"}


def test_status_codes_match_the_provincial_systems():
    assert [s.value for s in Status] == list(range(1, 11))
    assert Status(5).label == "Yêu cầu bổ sung giấy tờ"


def test_every_action_has_a_vietnamese_label():
    assert all(a.label and a.label[0].islower() for a in ACTIONS.values())


def test_refusal_at_the_desk_and_payments_while_the_clock_runs():
    assert transition(None, "refused") is Status.NOT_RECEIVED
    assert transition(Status.RECEIVED, "refused") is Status.NOT_RECEIVED     # right after the intake was recorded
    with pytest.raises(TransitionRefused):
        transition(Status.PROCESSING, "refused")
    for status in (Status.RECEIVED, Status.PROCESSING, Status.RESOLVED):
        assert transition(status, "fee_paid") is status                        # a payment changes no state
    assert transition(Status.FINANCIAL_OBLIGATION, "fee_paid") is Status.PROCESSING
    with pytest.raises(TransitionRefused):
        transition(Status.SUPPLEMENT_REQUESTED, "fee_paid")                   # the clock is stopped for papers
