/**
 * The registry client, knowing nothing of the command line. This package holds what all its parts share (image
 * references, digests, the registry's failures, JSON reading); the parts are its subpackages, each using only
 * those before it: {@code transport}, {@code auth}, {@code manifest} and {@code blob}, then {@code client}, the
 * facade the commands use.
 *
 * <p>A note on style. Code on the path every command takes (resolving a reference, the token flow, one
 * manifest and one config exchange) uses plain conditionals and loops rather than lambdas, method references
 * and {@code Optional} chains. On a cold JVM each lambda call site is linked on first use by interpreted
 * java.lang.invoke code, a cost paid per site on JDK 17 even with its class archived (README, "Start-up
 * measurements"). Off that path (error
 * messages, retries, the layer reader) they are used as usual.
 */
package dev.regx.registry;
