-- Scratch schema for the pgbench ceiling (scripts/bench.sh creates a
-- database kezek_pgbench_<pid>, loads this, runs booking.sql, drops it).
-- The same shapes as Kezek's tables: a citizen row to lock, the bookings
-- to count, the window-slot key that makes double holds impossible.
CREATE TABLE citizens (id bigint PRIMARY KEY, iin text NOT NULL);
INSERT INTO citizens SELECT g, lpad(g::text, 12, '0') FROM generate_series(1, 100000) g;
CREATE TABLE booking_slots (
  window_id bigint NOT NULL,
  slot_start bigint NOT NULL,
  booking_id bigint NOT NULL,
  PRIMARY KEY (window_id, slot_start)
);
CREATE TABLE bookings (
  id bigserial PRIMARY KEY,
  citizen_id bigint NOT NULL,
  center_kind text NOT NULL,
  grp text NOT NULL,
  start_at bigint NOT NULL,
  status text NOT NULL
);
CREATE INDEX bookings_citizen ON bookings (citizen_id, status);
VACUUM ANALYZE;
