-- Payments recorded at the desk (``fee_paid`` events): a period's fee total reads only these, by when
-- each was recorded, without scanning every event.
CREATE INDEX events_payments ON events (occurred_at) WHERE type = 'fee_paid';
