package dev.regx;

/**
 * Something the user gave regx (an option, an argument, an environment variable) that it cannot take: exit 2.
 * Its own type, so that an {@link IllegalArgumentException} from a slip inside regx reads as the internal error
 * it is, not as the user's mistake. It lives at the root so every layer (registry, layer reader, CLI) can throw
 * it without depending on another.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
