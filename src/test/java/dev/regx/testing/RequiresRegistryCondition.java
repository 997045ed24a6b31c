package dev.regx.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit 5 side of {@link RequiresRegistry}: enabled when {@code docker-registry} can be found; disabled
 * (skipped, with the reason in the report) when it cannot; and when {@code CI} is set, a missing registry
 * throws, which JUnit reports as a FAILED test rather than a skip.
 */
public final class RequiresRegistryCondition implements ExecutionCondition {
    static final String MISSING = "docker-registry not found on PATH (Debian package docker-registry, or set "
            + LocalRegistry.BINARY_ENV + ")";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (LocalRegistry.isAvailable()) {
            return ConditionEvaluationResult.enabled("docker-registry found");
        }
        if (isCi()) {
            throw new IllegalStateException(
                    MISSING + "; CI is set, so this integration test fails instead of skipping");
        }
        return ConditionEvaluationResult.disabled(MISSING + ": integration test skipped");
    }

    /** For code outside an annotated class: skips (or under CI fails) the current test without a registry. */
    public static void assumeRegistry() {
        if (LocalRegistry.isAvailable()) {
            return;
        }
        if (isCi()) {
            throw new AssertionError(MISSING + "; CI is set, so this integration test fails instead of skipping");
        }
        Assumptions.abort(MISSING + ": integration test skipped");
    }

    static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty();
    }
}
