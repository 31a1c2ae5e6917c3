package io.tollgate.storage;

/** The outcome of a write the caller must tell apart: done, nothing to change, or a unique key taken. */
public enum Change {
  DONE,
  NOT_FOUND,
  CONFLICT
}
