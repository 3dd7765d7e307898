/**
 * The subset of the Lexicon language the generator supports, as a sealed model (after ozone's
 * {@code grammar.kt}). The parser produces it fully resolved: a {@link
 * dev.atpkeyserver.lexicon.codegen.model.LexRef} always points at an object definition, because
 * references to primitive or array definitions are replaced by the definition itself.
 */
package dev.atpkeyserver.lexicon.codegen.model;
