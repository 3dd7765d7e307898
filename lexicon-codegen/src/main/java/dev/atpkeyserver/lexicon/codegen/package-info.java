/**
 * The lexicon code generator: a build-time tool, never on the server's runtime class path.
 *
 * <p>Three stages, after christiandeange/ozone: {@link
 * dev.atpkeyserver.lexicon.codegen.LexiconParser} reads lexicon JSON into the sealed {@link
 * dev.atpkeyserver.lexicon.codegen.model model}, {@link
 * dev.atpkeyserver.lexicon.codegen.emit.CodeGenerator} turns the model into Java source text, and
 * {@link dev.atpkeyserver.lexicon.codegen.GeneratedFiles} writes it. {@link
 * dev.atpkeyserver.lexicon.codegen.Main} is the command line the server's build runs.
 */
package dev.atpkeyserver.lexicon.codegen;
