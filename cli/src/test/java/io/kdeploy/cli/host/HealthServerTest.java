package io.kdeploy.cli.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HealthServerTest {
    /** Status and body of a GET. */
    private record Response(int statusCode, String body) {}

    private static Response get(HealthServer server, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + path).toURL()
                .openConnection();
        try {
            int code = c.getResponseCode();
            try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Response(code, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            c.disconnect();
        }
    }

    @Test
    void healthzIsAlways200AndReadyzFollowsTheMark() throws Exception {
        try (HealthServer server = HealthServer.start(0)) {
            assertThat(server.port()).isPositive();
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            Response installing = get(server, "/readyz");
            assertThat(installing.statusCode()).isEqualTo(503);
            assertThat(installing.body()).isEqualTo("installing\n");

            server.markReady();
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/healthz").body()).isEqualTo("ok\n");

            server.markNotReady();
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
            assertThat(get(server, "/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPortInUseIsAClearError() {
        try (HealthServer first = HealthServer.start(0)) {
            assertThatThrownBy(() -> HealthServer.start(first.port()))
                    .isInstanceOf(KdeployException.class)
                    .hasMessageContaining("port " + first.port())
                    .hasMessageContaining("HEALTH_PORT");
        }
    }
}
