package io.tollgate;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths the router answers (token service, pages, discovery, operations, admin), read off the
 * router itself so that the two cannot disagree; every other path is the gateway's.
 */
final class ServicePaths {
  private final Set<String> exact = new HashSet<>();
  private final List<String> prefixes;

  ServicePaths(Router router) {
    Set<String> prefixSet = new HashSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || route.isRegexPath()) {
        continue; // catch-alls; parameterised paths lie under a prefix route (/admin/*)
      }
      if (route.isExactPath()) {
        exact.add(path);
        exact.add(path.endsWith("/") ? path.substring(0, path.length() - 1) : path + "/"); // the router's tolerance
      } else {
        prefixSet.add(path);
        if (path.endsWith("/")) {
          exact.add(path.substring(0, path.length() - 1)); // /admin/* also takes /admin
        }
      }
    }
    this.prefixes = List.copyOf(prefixSet);
  }

  boolean contains(String path) {
    if (exact.contains(path)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
