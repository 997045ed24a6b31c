package dev.regx.layer;

import java.io.IOException;

/**
 * A PAX or GNU long-name record larger than a tar reader should hold in memory: see {@link
 * RawHeaderTarInputStream}.
 */
final class OversizedTarRecordException extends IOException {
    OversizedTarRecordException(String message) {
        super(message);
    }
}
