package dev.regx.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class or method that starts a real registry ({@link LocalRegistry}).
 *
 * <p>When {@code docker-registry} is not on PATH the test is SKIPPED with a visible reason, so a developer
 * without the Debian package still gets a green unit-test run, unless the environment variable {@code CI}
 * is set (non-empty): there a missing registry FAILS the test, because CI silently skipping every
 * integration test would be worse than useless. See {@link RequiresRegistryCondition}.
 *
 * <pre>{@code
 * @RequiresRegistry
 * class LayersCommandIT { ... }
 * }</pre>
 *
 * Code that cannot use the annotation calls {@link RequiresRegistryCondition#assumeRegistry()}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRegistryCondition.class)
public @interface RequiresRegistry {}
