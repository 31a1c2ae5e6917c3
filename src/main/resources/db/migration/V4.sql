-- Issue 7: revoking every token of a client finds its families by index, and the periodic purge
-- (storage/PgPurge) walks each table by expiry instead of reading it whole.

-- FamilyRevocation.ofClient: UPDATE token_families ... WHERE client_id = $1 AND revoked_at IS NULL
CREATE INDEX token_families_client ON token_families (client_id) WHERE revoked_at IS NULL;

CREATE INDEX token_families_expires ON token_families (expires_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX revoked_access_tokens_expires ON revoked_access_tokens (expires_at);
CREATE INDEX login_failures_updated ON login_failures (updated_at);
