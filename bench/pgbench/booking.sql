-- One booking, the shape of Kezek's write transaction (see docs/benchmarks.md).
\set cid random(1, 100000)
\set w random(1, 1800)
\set s random(1, 1000000)
BEGIN;
UPDATE citizens SET id = id WHERE id = :cid;
SELECT count(*) FROM bookings WHERE citizen_id = :cid AND status = 'Booked';
INSERT INTO booking_slots (window_id, slot_start, booking_id) VALUES (:w, :s, :cid) ON CONFLICT DO NOTHING;
INSERT INTO bookings (citizen_id, center_kind, grp, start_at, status) VALUES (:cid, 'Psc', 'Documentation', :s, 'Booked');
END;
