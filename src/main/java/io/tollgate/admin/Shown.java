package io.tollgate.admin;

/** Caller-supplied text echoed in an error description: short, printable ASCII only. */
final class Shown {
  private static final int MAX = 60;

  private Shown() {}

  static String safe(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > MAX ? out + "..." : out.toString();
  }
}
