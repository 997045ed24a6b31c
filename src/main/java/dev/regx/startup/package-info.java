/**
 * What makes a cold start fast and is no command's business: {@link dev.regx.startup.NetworkWarmUp} sets up
 * the HTTP, TLS, JSON and hashing classes on other threads while the command line is parsed. The
 * archive-building tour is in {@link dev.regx.startup.archive}, above the command line it drives; this package
 * is below it (the command line starts the warm-up) and knows nothing of picocli.
 */
package dev.regx.startup;
