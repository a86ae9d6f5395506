-- The price of each reservation an exchange session buys (as migrations-postgres/0022): in Azure
-- mode Azure's `calculatePrice` of one unit for the customer, kept with the session so the
-- exchange is checked against the price it was quoted at. JSON of
-- Vec<desk_service::catalog::Offer>; NULL in local mode (the demo catalog's prices).
ALTER TABLE exchange_sessions ADD COLUMN offers TEXT;
