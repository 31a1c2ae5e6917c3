-- Authorization codes and browser sessions (RFC 6749 §4.1). Both stored only as SHA-256 hashes.

-- A code is bound to its client, redirect URI, user, scope and PKCE challenge, and used once.
-- used_at is set by the first exchange; a later one sets replayed_at and revokes family_id, the
-- token family the first exchange started (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
CREATE TABLE authorization_codes (
  code_hash       bytea PRIMARY KEY,
  client_id       text NOT NULL,
  user_id         text NOT NULL,
  redirect_uri    text NOT NULL,
  scope           text NOT NULL,
  code_challenge  text,                        -- S256 only; NULL when the client sent none
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  replayed_at     timestamptz,
  family_id       uuid
);
CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);

-- Login sessions of the authorization endpoint, shared by every instance; the cookie holds the
-- random session id, the table only its hash.
CREATE TABLE sessions (
  session_hash  bytea PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
