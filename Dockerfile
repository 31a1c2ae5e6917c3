# Multi-stage build: Maven builds the jar, a small JRE image runs it as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app tollgate && mkdir -p /app/data && chown tollgate /app/data
WORKDIR /app
COPY --from=build /src/target/tollgate.jar /app/tollgate.jar
COPY conf /app/conf
# Class-data sharing (README, Operations): one start of Tollgate at build time, as the tollgate user,
# records the classes it loads into /app/tollgate.jsa; every container start maps them from there
# instead of loading and verifying them from the jar. The archive is root's and read-only, like the jar.
COPY deploy/cds-archive /tmp/cds-archive
RUN setpriv --reuid=tollgate --regid=tollgate --init-groups /tmp/cds-archive /app/tollgate.jar /tmp/tollgate.jsa \
 && install -o root -g root -m 0444 /tmp/tollgate.jsa /app/tollgate.jsa && rm /tmp/tollgate.jsa /tmp/cds-archive
USER tollgate
EXPOSE 8080
# the port follows TOLLGATE_HTTP_PORT when a deployment moves it (docker run -e TOLLGATE_HTTP_PORT=...)
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${TOLLGATE_HTTP_PORT:-8080}/health" >/dev/null || exit 1
# -Xlog: a JVM that cannot use the archive (another JDK) starts without it, without warnings
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/tollgate.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/tollgate.jar"]
