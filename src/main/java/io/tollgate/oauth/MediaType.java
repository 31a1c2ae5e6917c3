package io.tollgate.oauth;

/** The media type of a request, as its {@code Content-Type} names it. */
public final class MediaType {
  public static final String FORM = "application/x-www-form-urlencoded";
  public static final String JSON = "application/json";

  private MediaType() {}

  /** RFC 9110 §8.3.1: the type and subtype compare case-insensitively, parameters ({@code charset}) aside. */
  public static boolean is(String contentType, String mediaType) {
    return contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase(mediaType);
  }
}
