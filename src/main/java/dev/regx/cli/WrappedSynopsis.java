package dev.regx.cli;

import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's synopsis wrapped between its elements, never inside one. picocli wraps with the JDK's line
 * {@link java.text.BreakIterator}, which breaks after {@code .}, {@code :} and {@code -}: {@code [--insecure=HOST[:}
 * on one line and {@code PORT]} on the next. The help and the man pages ({@code ManPageTest}) both use this.
 */
final class WrappedSynopsis implements IHelpSectionRenderer {
    @Override
    public String render(Help help) {
        CommandSpec spec = help.commandSpec();
        return wrap(spec, help.synopsisHeadingLength(), spec.usageMessage().width());
    }

    /**
     * {@code spec}'s synopsis in lines of at most {@code width} columns (an element longer than that has one to
     * itself), the first after a heading of {@code headingLength} columns, the others indented under the first
     * option.
     */
    static String wrap(CommandSpec spec, int headingLength, int width) {
        int usageWidth = spec.usageMessage().width();
        spec.usageMessage().width(10_000);
        String line;
        try {
            line = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF))
                    .synopsis(0)
                    .strip();
        } finally {
            spec.usageMessage().width(usageWidth);
        }
        String command = spec.qualifiedName();
        String indent = " ".repeat(headingLength + command.length() + 1);
        StringBuilder text = new StringBuilder(command);
        int column = headingLength + command.length();
        for (String element : line.substring(command.length()).strip().split(" ")) {
            if (column + 1 + element.length() > width) {
                text.append(System.lineSeparator()).append(indent).append(element);
                column = indent.length() + element.length();
            } else {
                text.append(' ').append(element);
                column += 1 + element.length();
            }
        }
        return text.append(System.lineSeparator()).toString();
    }
}
