/**
 * The method reference ({@code docs/lexicons.md}): a Markdown page rendered from the lexicon model,
 * which the server's build checks against the committed copy so the two cannot drift.
 */
package dev.atpkeyserver.lexicon.codegen.docs;
