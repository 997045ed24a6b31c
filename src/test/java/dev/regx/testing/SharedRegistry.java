package dev.regx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One token-auth registry per JVM with {@link TokenServer#standard()} and the {@link Fixtures} pushed,
 * started on first use and stopped when the JVM exits. For tests that only READ: a test that changes the
 * token server's behaviour (lifetime, rejectEverything), deletes from the registry, or asserts on exact
 * request logs should start its own {@link LocalRegistry}, which costs well under a second.
 *
 * <pre>{@code
 * @RequiresRegistry
 * class LayersCommandIT {
 *     static final SharedRegistry shared = SharedRegistry.get();
 *     @Test void listsComposerLayers() {
 *         PushedImage composer = shared.fixtures().composer();
 *         run("layers", composer.reference());   // 127.0.0.1:PORT/smoshysmosh/composer:latest
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class SharedRegistry {
    private static SharedRegistry instance;

    private final TokenServer tokenServer;
    private final LocalRegistry registry;
    private final Fixtures.Set fixtures;

    private SharedRegistry(TokenServer tokenServer, LocalRegistry registry, Fixtures.Set fixtures) {
        this.tokenServer = tokenServer;
        this.registry = registry;
        this.fixtures = fixtures;
    }

    /** Starts it on first call (skipping or, under CI, failing the calling test without a registry). */
    public static synchronized SharedRegistry get() {
        RequiresRegistryCondition.assumeRegistry();
        if (instance == null) {
            TokenServer tokens = null;
            try {
                long t0 = System.nanoTime();
                tokens = TokenServer.standard().start();
                long t1 = System.nanoTime();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start();
                long t2 = System.nanoTime();
                Fixtures.Set fixtures = Fixtures.pushAll(registry);
                long t3 = System.nanoTime();
                System.out.printf(
                        "shared registry %s: token server (with signing key) %d ms, registry %d ms,"
                                + " fixtures built and pushed %d ms%n",
                        registry.host(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
                instance = new SharedRegistry(tokens, registry, fixtures);
                TokenServer t = tokens;
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    registry.close();
                                    t.close();
                                },
                                "stop shared registry"));
            } catch (IOException e) {
                if (tokens != null) {
                    tokens.close();
                }
                throw new UncheckedIOException("cannot start the shared registry", e);
            }
        }
        return instance;
    }

    public LocalRegistry registry() {
        return registry;
    }

    public TokenServer tokenServer() {
        return tokenServer;
    }

    public Fixtures.Set fixtures() {
        return fixtures;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return registry.host();
    }
}
