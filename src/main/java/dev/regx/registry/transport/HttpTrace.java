package dev.regx.registry.transport;

/**
 * Where {@code --verbose} request traces go. Lines never carry credentials, tokens or signed URL queries:
 * the transport redacts them before calling {@link #line}.
 */
public interface HttpTrace {
    boolean enabled();

    void line(String text);

    static HttpTrace off() {
        return new HttpTrace() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public void line(String text) {}
        };
    }
}
