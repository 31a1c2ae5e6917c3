-- "Every token of this user / this client is revoked": access tokens issued at or before this instant
-- are dead, including those of grants that started no refresh-token family (a client without refresh
-- tokens), which a family revocation cannot reach.
ALTER TABLE users ADD COLUMN tokens_revoked_at timestamptz;
ALTER TABLE clients ADD COLUMN tokens_revoked_at timestamptz;
