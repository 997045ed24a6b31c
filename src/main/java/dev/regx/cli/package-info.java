/**
 * The command line: picocli commands, output formatting.
 *
 * <p>What runs on every start of a short command (building the command models, {@code layers}' table and
 * summary line) avoids lambdas and method references for the reason {@link dev.regx.registry} gives, and
 * builds its picocli models in code rather than from annotations (see {@code CommandSpecs}).
 */
package dev.regx.cli;
