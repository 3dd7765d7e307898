package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code string}.
 *
 * @param description the description
 * @param format the format, if any
 * @param minLength minimum length in UTF-8 bytes
 * @param maxLength maximum length in UTF-8 bytes
 * @param enumValues the closed set of values ({@code enum}), empty if none
 * @param knownValues the known values, empty if none (the runtime enforces them)
 * @param constValue the only allowed value, if any
 * @param defaultValue the value used when the field is absent, if any
 */
public record LexString(
    Optional<String> description,
    Optional<LexStringFormat> format,
    OptionalInt minLength,
    OptionalInt maxLength,
    List<String> enumValues,
    List<String> knownValues,
    Optional<String> constValue,
    Optional<String> defaultValue)
    implements LexPrimitive, LexDef {

  /** Copies the lists and checks for nulls. */
  public LexString {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(minLength, "minLength");
    Objects.requireNonNull(maxLength, "maxLength");
    enumValues = List.copyOf(enumValues);
    knownValues = List.copyOf(knownValues);
    Objects.requireNonNull(constValue, "constValue");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }

  @Override
  public boolean hasDefault() {
    return defaultValue.isPresent();
  }

  /** Whether this is a datetime, which maps to {@link java.time.Instant}. */
  public boolean isDatetime() {
    return format.equals(Optional.of(LexStringFormat.DATETIME));
  }

  /**
   * The same string with another description, for a reference to a string definition.
   *
   * @param newDescription the description to use
   * @return the copy
   */
  public LexString withDescription(Optional<String> newDescription) {
    return new LexString(
        newDescription,
        format,
        minLength,
        maxLength,
        enumValues,
        knownValues,
        constValue,
        defaultValue);
  }
}
