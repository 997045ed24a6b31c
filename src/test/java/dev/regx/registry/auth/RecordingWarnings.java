package dev.regx.registry.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects warnings so tests can look at them. */
final class RecordingWarnings implements CredentialWarnings {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void warn(String oneLine) {
        lines.add(oneLine);
    }
}
