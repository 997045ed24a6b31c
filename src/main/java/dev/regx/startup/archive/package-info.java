/**
 * What the launcher's class-data archives are made from: {@link dev.regx.startup.archive.Training}, the main
 * class the archive builder in {@code src/main/launcher/regx.sh} runs, tours the commands against an
 * in-memory registry on 127.0.0.1 ({@link dev.regx.startup.archive.CannedRegistry}) and one HTTPS exchange
 * with a certificate made on the spot ({@link dev.regx.startup.archive.SelfSignedCertificate}, which the
 * tests' token server uses too). Never part of a user's command.
 */
package dev.regx.startup.archive;
