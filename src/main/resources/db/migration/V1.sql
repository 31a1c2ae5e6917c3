-- Tollgate schema. Secrets, passwords, refresh tokens and codes are stored only as hashes.

CREATE TABLE roles (
  name        text PRIMARY KEY,
  scopes      text[] NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clients (
  id              text PRIMARY KEY,
  secret_hash     text,                       -- argon2id; NULL for public clients
  grant_type      text NOT NULL CHECK (grant_type IN ('authorization_code', 'client_credentials', 'password')),
  scopes          text[] NOT NULL DEFAULT '{}',
  default_scopes  text[],                     -- NULL: all allowed scopes
  redirect_uris   text[] NOT NULL DEFAULT '{}',
  refresh_tokens  boolean NOT NULL,
  is_public       boolean NOT NULL DEFAULT false,
  access_ttl      integer,
  refresh_ttl     integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id                       text PRIMARY KEY,
  username                 text NOT NULL UNIQUE,
  password_hash            text NOT NULL,
  roles                    text[] NOT NULL DEFAULT '{}',
  require_password_change  boolean NOT NULL DEFAULT false,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- One family per grant (a login, a code exchange): every refresh token and access token descended
-- from it carries its id, so that revoking the family revokes them all (RFC 9700 §4.14.2).
CREATE TABLE token_families (
  id          uuid PRIMARY KEY,
  client_id   text NOT NULL,
  user_id     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX token_families_user ON token_families (user_id) WHERE revoked_at IS NULL;
CREATE INDEX token_families_revoked ON token_families (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  token_hash  bytea PRIMARY KEY,              -- SHA-256 of the opaque token
  family_id   uuid NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
  client_id   text NOT NULL,
  user_id     text,
  scope       text NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz                     -- set when exchanged; a second use is a replay
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens revoked one by one (RFC 7009), kept until they would have expired anyway.
CREATE TABLE revoked_access_tokens (
  jti         text PRIMARY KEY,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE login_failures (
  username      text PRIMARY KEY,
  failures      integer NOT NULL,
  locked_until  timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
