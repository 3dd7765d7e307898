package dev.atpkeyserver.server.testing;

import java.util.regex.Pattern;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** {@code matchesPattern}, which the Hamcrest 1.3 the Helidon BOM pins does not have. */
public final class RegexMatcher extends TypeSafeMatcher<String> {

  private final Pattern pattern;

  private RegexMatcher(Pattern pattern) {
    this.pattern = pattern;
  }

  /** Matches strings that match {@code regex} entirely. */
  public static Matcher<String> matchesPattern(String regex) {
    return new RegexMatcher(Pattern.compile(regex));
  }

  @Override
  protected boolean matchesSafely(String item) {
    return pattern.matcher(item).matches();
  }

  @Override
  public void describeTo(Description description) {
    description.appendText("a string matching /" + pattern + "/");
  }
}
