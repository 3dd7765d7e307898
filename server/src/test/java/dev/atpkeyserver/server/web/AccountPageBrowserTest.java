package dev.atpkeyserver.server.web;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.StandInPds;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The account page in a real browser: headless Chromium driven by Debian's chromedriver, against
 * the keyserver and a stand-in PDS (which is also the PLC directory). Covers signing in (a wrong
 * app password first), the keypair versions, the devices, the access log and its pages, the typed
 * confirmation and deletion with its counts. Skipped where Chromium or its driver is not installed
 * ({@code apt-get install chromium chromium-driver}; {@code .ci/run} installs them). Screenshots go
 * to {@code target/screenshots/} (copied to {@code docs/images/} by hand when the page changes).
 */
class AccountPageBrowserTest {

  /** Debian's paths; the properties point elsewhere (or nowhere, to check the skip). */
  private static final Path CHROMIUM =
      Path.of(System.getProperty("keyserver.test.chromium", "/usr/bin/chromium"));

  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("keyserver.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String PASSWORD = "abcd-efgh-ijkl-mnop";
  private static final String HANDLE = "alice.test";

  /** More entries than one page of the page's log table (20). */
  private static final int OWN_READS = 23;

  private static final StandInPds pds = new StandInPds();

  @RegisterExtension
  static final KeyserverExtension keyserver =
      new KeyserverExtension(
          Map.of("keyserver.plc-url", pds.url(), "keyserver.did-web.allow-local-hosts", "true"),
          pds);

  private static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1000,1500",
                "--lang=en-GB");
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void signInReadTheLogPageThroughItAndDeleteEverything() throws IOException {
    TestServer server = keyserver.on(TestDatabase.H2);
    TestUser alice = pds.addAccount(TestUser.plc(), HANDLE, PASSWORD);
    TestUser bob = pds.addAccount(TestUser.plc(), "bob.test", "bob-app-password");
    // Two keypair versions, a group bob belongs to, and reads of both keys in alice's log.
    for (int i = 0; i < OWN_READS; i++) {
      server.as(alice).keypairGetKeypair(activeKeypair());
    }
    server.as(alice).keypairRotate(rotation());
    String group = alice.did() + "#book-club";
    server.as(alice).groupGetKey(groupKey(group));
    server.as(alice).groupAddMember(addMember(group, bob.did()));
    server.as(bob).groupGetKey(groupKey(group));
    // A phone with a name, two one-time prekeys and a signed one: 3 prekeys.
    DeviceKeys phone = DeviceKeys.generate();
    server
        .as(alice)
        .deviceRegister(
            phone.registration(
                "phone-1",
                Optional.of("Alice's phone"),
                phone.signedKey("s1"),
                DeviceKeys.oneTimeKeys("k", 2),
                Optional.empty()));
    server.awaitAccessLogWrites();

    browser.get(server.baseUri().resolve("/account").toString());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // A timeout says what the page showed.
    wait.withMessage(
        () ->
            "page status: "
                + browser.findElement(By.id("status")).getText()
                + " | error: "
                + browser.findElement(By.id("error")).getText());

    // A wrong app password: the PDS refuses, the page says so, nothing else happens.
    signIn(wait, "wrong-password");
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(error.getText(), containsString("AuthenticationRequired"));
    assertThat(browser.findElement(By.id("account")).isDisplayed(), is(false));

    browser.findElement(By.id("password")).clear();
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    screenshot("account-signin.png");
    // Submitted from the keyboard.
    browser.findElement(By.id("password")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account")));
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + HANDLE + "."));
    assertThat(browser.findElement(By.id("who-did")).getText(), equalTo(alice.did()));
    // Focus moved to the signed-in heading, for keyboard and screen reader users.
    assertThat(browser.switchTo().activeElement().getAttribute("id"), equalTo("who-title"));
    assertThat(browser.findElement(By.id("password")).getAttribute("value"), equalTo(""));

    assertThat(cells("keys-table", 1), contains("2", "1"));
    assertThat(cells("keys-table", 2), contains("active", "revoked"));

    assertThat(cells("devices-table", 1), contains("Alice's phone"));
    assertThat(cells("devices-table", 3), contains(phone.fingerprint()));
    assertThat(cells("devices-table", 6), contains("2"));

    // The log, newest first: bob's read of the group key, alice's own group read, then keypair
    // reads.
    List<String> who = cells("log-table", 2);
    assertThat(who, hasSize(20));
    assertThat(who.get(0), equalTo(bob.did()));
    assertThat(who.get(1), equalTo("you"));
    assertThat(cells("log-table", 3).get(0), equalTo("group " + group + ", version 1"));
    assertThat(browser.findElement(By.id("log-newer")).isEnabled(), is(false));
    screenshot("account-overview.png");

    browser.findElement(By.id("log-older")).click();
    wait.until(ExpectedConditions.textToBe(By.id("log-position"), "Page 2"));
    // 23 keypair reads + 2 group reads = 25 entries: 5 on the second page, and no third.
    assertThat(cells("log-table", 2), hasSize(5));
    assertThat(cells("log-table", 3), everyItem(equalTo("your keypair, version 1")));
    assertThat(browser.findElement(By.id("log-older")).isEnabled(), is(false));
    browser.findElement(By.id("log-newer")).click();
    wait.until(ExpectedConditions.textToBe(By.id("log-position"), "Page 1"));

    // A confirmation that is not exactly the word: refused in the page, nothing deleted.
    WebElement confirmation = browser.findElement(By.id("confirmation"));
    confirmation.sendKeys("delete all my data", Keys.ENTER);
    WebElement fieldError =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirmation-error")));
    assertThat(fieldError.getText(), containsString("DELETE_ALL_MY_DATA"));
    assertThat(confirmation.getAttribute("aria-invalid"), equalTo("true"));
    assertThat(server.as(alice).keypairListVersions(keypairVersions()).versions(), hasSize(2));

    confirmation.clear();
    confirmation.sendKeys("DELETE_ALL_MY_DATA");
    browser.findElement(By.id("delete-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("deleted")));
    wait.until(
        ExpectedConditions.textToBe(
            By.id("status"), "All your data on this keyserver was deleted."));
    assertThat(browser.findElement(By.id("deleted-keys")).getText(), equalTo("2"));
    assertThat(browser.findElement(By.id("deleted-groups")).getText(), equalTo("1"));
    assertThat(browser.findElement(By.id("deleted-memberships")).getText(), equalTo("0"));
    assertThat(browser.findElement(By.id("deleted-logs")).getText(), equalTo("25"));
    assertThat(browser.findElement(By.id("deleted-devices")).getText(), equalTo("1"));
    assertThat(browser.findElement(By.id("deleted-prekeys")).getText(), equalTo("3"));
    assertThat(browser.findElement(By.id("devices-empty")).isDisplayed(), is(true));
    assertThat(browser.switchTo().activeElement().getAttribute("id"), equalTo("deleted-title"));
    assertThat(browser.findElement(By.id("keys-empty")).isDisplayed(), is(true));
    screenshot("account-deleted.png");

    // The keyserver agrees, and every token the page used was asked for one method each, for
    // this keyserver only.
    assertThat(server.as(alice).keypairListVersions(keypairVersions()).versions(), empty());
    List<String> tokens = pds.serviceAuthRequests();
    assertThat(
        tokens, everyItem(org.hamcrest.Matchers.startsWith(KeyserverExtension.SERVICE_DID + " ")));
    assertThat(tokens.stream().filter(t -> t.endsWith(".account.delete")).count(), is(1L));
  }

  private static void signIn(WebDriverWait wait, String password) {
    browser.findElement(By.id("identifier")).sendKeys(HANDLE);
    browser.findElement(By.cssSelector("details summary")).click();
    WebElement resolver =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("resolver")));
    resolver.clear();
    resolver.sendKeys(pds.url());
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("signin-button")).click();
  }

  /** The texts of one column (1-based) of a table's body. */
  private static List<String> cells(String table, int column) {
    return browser
        .findElements(By.cssSelector("#" + table + " tbody tr td:nth-child(" + column + ")"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private static void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SCREENSHOTS.resolve(name),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
