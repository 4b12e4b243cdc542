package io.kdeploy.cli.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kubelet's probes, served by the JDK's HTTP server on all interfaces: {@code /healthz} answers 200 while the process
 * runs; {@code /readyz} answers 503 until {@link #markReady()} and 200 after. One daemon thread serves both.
 */
public final class HealthServer implements AutoCloseable {
    /** The port when {@code HEALTH_PORT} is not set (kata-deploy's). */
    public static final int DEFAULT_PORT = 8090;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean ready = new AtomicBoolean();

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} ({@code 0}: any free port) and starts serving.
     *
     * @throws KdeployException when the port cannot be bound
     */
    public static HealthServer start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 8);
        } catch (IOException e) {
            throw new KdeployException("Cannot serve the health probes on port " + port + ": " + e.getMessage()
                    + ". Set HEALTH_PORT to a free port and use the same port in the DaemonSet's probes.", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kdeploy-health");
            t.setDaemon(true);
            return t;
        });
        HealthServer health = new HealthServer(server, executor);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            if (health.ready.get()) {
                respond(exchange, 200, "ready\n");
            } else {
                respond(exchange, 503, "installing\n");
            }
        });
        server.setExecutor(executor);
        server.start();
        return health;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on {@code /readyz} answers 200. */
    public void markReady() {
        ready.set(true);
    }

    /** From now on {@code /readyz} answers 503 again (cleanup has begun). */
    public void markNotReady() {
        ready.set(false);
    }

    /** Whether {@code /readyz} answers 200. */
    public boolean isReady() {
        return ready.get();
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(code, -1);
                return;
            }
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
