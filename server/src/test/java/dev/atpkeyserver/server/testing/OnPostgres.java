package dev.atpkeyserver.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test on PostgreSQL only, for behaviour H2 does not have (LISTEN/NOTIFY between instances),
 * passing {@link TestDatabase#POSTGRES} as its one parameter; the case is named {@code [1]
 * POSTGRES}, like the PostgreSQL cases of {@link EachDatabase}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{index}] {0}")
@EnumSource(value = TestDatabase.class, names = "POSTGRES")
public @interface OnPostgres {}
