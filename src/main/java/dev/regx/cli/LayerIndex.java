package dev.regx.cli;

import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The layer a user named by index, as {@code regx layers} numbers them (0 is the base). */
final class LayerIndex {
    private LayerIndex() {}

    /** What IDX looks like: an optional sign and digits, however many (a huge one is a missing layer). */
    static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    /**
     * IDX as typed: a whole number from 0, with any number of digits, so that one past the last layer is the
     * same "not found" whatever its size (as in {@code ls}).
     *
     * @throws ParameterException (a usage error) for anything else, a negative number included
     */
    static BigInteger parse(CommandLine commandLine, String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new ParameterException(
                    commandLine,
                    "IDX must be a whole number from 0, as 'regx layers IMAGE' numbers the " + "layers, not '" + text
                            + "'");
        }
        BigInteger index = new BigInteger(text);
        if (index.signum() < 0) {
            throw new ParameterException(commandLine, negative(index));
        }
        return index;
    }

    /**
     * IDX when the first of {@code args} looks like an integer (always IDX then, never a PATH: a typo in IDX must
     * not read the merged view), removed from {@code args}; null when there is none.
     */
    static BigInteger takeLeading(CommandLine commandLine, List<String> args) {
        if (args.isEmpty() || !INTEGER.matcher(args.get(0)).matches()) {
            return null;
        }
        return parse(commandLine, args.remove(0));
    }

    /** The message for a negative index. */
    static String negative(BigInteger index) {
        return "layer index " + index
                + " is negative; layers count from 0, the base, as 'regx layers IMAGE' numbers them";
    }

    /** The layer at {@code index}, or a "not found" failure that says how many layers there are. */
    static ImageLayer select(ResolvedImage image, BigInteger index) {
        int n = image.layers().size();
        if (index.signum() < 0 || index.compareTo(BigInteger.valueOf(n)) >= 0) {
            throw new CommandFailure(
                    ExitCode.NOT_FOUND,
                    image.reference() + " has " + n + (n == 1 ? " layer" : " layers")
                            + (n == 0 ? "" : " (0 to " + (n - 1) + ")") + "; there is no layer " + index);
        }
        return image.layers().get(index.intValue());
    }
}
