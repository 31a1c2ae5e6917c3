-- Issue 16 (README "Browsers (CORS)"): the exact origins whose pages may read the token service's answers to
-- each client. The union over all clients answers the token service's preflights; it is kept in
-- memory on every instance and reloaded when a client changes (NOTIFY tollgate_clients).
ALTER TABLE clients ADD COLUMN web_origins text[] NOT NULL DEFAULT '{}';
