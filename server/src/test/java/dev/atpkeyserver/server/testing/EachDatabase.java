package dev.atpkeyserver.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test once per {@link TestDatabase}, H2 then PostgreSQL, passing the database as its one
 * parameter. Each case is named {@code [1] H2} or {@code [2] POSTGRES}: CI counts the passed cases
 * whose names contain {@code POSTGRES} to prove the PostgreSQL tests ran.
 *
 * <pre>{@code
 * @EachDatabase
 * void rotates(TestDatabase db) { KeyserverClient alice = keyserver.on(db).as(keyserver.newUser()); ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{index}] {0}")
@EnumSource(TestDatabase.class)
public @interface EachDatabase {}
