-- Azure mode (crates/server/src/source/read.rs), as migrations/0028: today's price of a
-- reservation's SKU, region, term and billing plan as Azure answers it for the customer, or why
-- Azure gave none (JSON of contract::source::TodayPrice): the lower-price refund rule's "today's
-- price". NULL in local mode, where the demo catalog's price is today's.
ALTER TABLE reservations ADD COLUMN today_price TEXT;
