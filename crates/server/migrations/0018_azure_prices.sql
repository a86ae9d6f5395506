-- Azure mode (crates/server/src/source/read.rs), as migrations-postgres/0013: why a
-- reservation read from Azure has no price (JSON of contract::source::PriceUnknown: Azure's code
-- and message), when its order could not be read; its unit_price is then a zero that stands for
-- nothing and the desk quotes no refund or exchange on it. NULL for every priced reservation.
ALTER TABLE reservations ADD COLUMN price_unknown TEXT;
